package dev.text2code.tokenizers;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.text2code.tokenizers.hf.HuggingFaceTokenizer;
import dev.text2code.tokenizers.tiktoken.TiktokenTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Special tokens inserted anywhere in arbitrary text come out as exactly one id each, in order,
 * whatever surrounds them, and the text decodes back.
 */
class SpecialTokenProperties {
  private static final List<String> SPECIALS = new ArrayList<>();

  static {
    SPECIALS.addAll(SpecialTokens.PAPER);
    SPECIALS.addAll(SpecialTokens.FIM);
    SPECIALS.addAll(SpecialTokens.codeGen2(3));
    SPECIALS.addAll(SpecialTokens.t5Sentinels(3));
  }

  /** Text pieces with a special token (by index) after each. */
  private record Mixed(List<String> texts, List<Integer> specials) {
    String join() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < texts.size(); i++) {
        sb.append(texts.get(i));
        if (i < specials.size()) sb.append(SPECIALS.get(specials.get(i)));
      }
      return sb.toString();
    }
  }

  private static Gen<Mixed> mixed() {
    Gen<String> text =
        lists()
            .of(
                integers()
                    .between(0, 9)
                    .zip(
                        UnicodeStrings.codePoints(),
                        (k, cp) -> k < 3 ? (int) "<>_/".charAt(k) : cp))
            .ofSizeBetween(0, 12)
            .map(UnicodeStrings::join);
    return lists()
        .of(text)
        .ofSizeBetween(1, 6)
        .zip(
            lists().of(integers().between(0, SPECIALS.size() - 1)).ofSizeBetween(0, 5), Mixed::new);
  }

  private static boolean specialsAreAtomic(Tokenizer tokenizer, Mixed m) {
    String text = m.join();
    TokenIds ids = tokenizer.encode(text);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < Math.min(m.specials().size(), m.texts().size()); i++) {
      expected.add(tokenizer.specialTokenId(SPECIALS.get(m.specials().get(i))));
    }
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < ids.length(); i++) {
      if (tokenizer.specialTokens().containsValue(ids.get(i))) found.add(ids.get(i));
    }
    return found.equals(expected) && tokenizer.decode(ids).equals(text);
  }

  @Test
  void javaBpeNeverSplitsSpecialTokens() {
    Tokenizer t =
        ByteLevelBpeTokenizer.load(Fixtures.trainedTokenizer()).withSpecialTokens(SPECIALS);
    qt().withExamples(500).forAll(mixed()).check(m -> specialsAreAtomic(t, m));
  }

  @Test
  void rustNeverSplitsSpecialTokens() {
    Tokenizer t =
        HuggingFaceTokenizer.load(Fixtures.trainedTokenizer()).withSpecialTokens(SPECIALS);
    qt().withExamples(300).forAll(mixed()).check(m -> specialsAreAtomic(t, m));
  }

  @Test
  void tiktokenNeverSplitsSpecialTokens() {
    Tokenizer t = TiktokenTokenizer.open("p50k_base").withSpecialTokens(SPECIALS);
    qt().withExamples(500).forAll(mixed()).check(m -> specialsAreAtomic(t, m));
  }
}

package dev.text2code.objectives;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.text2code.api.TokenSequence;
import java.util.List;
import org.quicktheories.core.Gen;

/** Generators of text-to-code token sequences over the {@link CharacterTokenizer} vocabulary. */
public final class Sequences {
  public static final CharacterTokenizer TOKENIZER = CharacterTokenizer.withPaperSpecials();
  public static final int PYTHON = TOKENIZER.specialTokenId("<python>");
  public static final int COMMENTS = TOKENIZER.specialTokenId("<comments>");
  public static final int EOT = TOKENIZER.specialTokenId("<eot>");

  private Sequences() {}

  private static Gen<List<Integer>> letters(int min, int max) {
    return lists().of(integers().between('a', 'z')).ofSizeBetween(min, max);
  }

  /** PanGu layout: {@code <comments> text <python> code <eot>}, text TEXT, the rest CODE. */
  public static Gen<TokenSequence> pairs() {
    return letters(0, 30).zip(letters(0, 40), Sequences::pair);
  }

  /** Plain code documents of 2..max tokens, no prefix. */
  public static Gen<TokenSequence> documents(int max) {
    return letters(2, max)
        .map(
            l -> {
              int[] ids = l.stream().mapToInt(Integer::intValue).toArray();
              return TokenSequence.uniform(ids, dev.text2code.api.Modality.CODE);
            });
  }

  public static TokenSequence pair(List<Integer> text, List<Integer> code) {
    int n = text.size() + code.size() + 3;
    int[] ids = new int[n];
    byte[] modalities = new byte[n];
    int k = 0;
    ids[k++] = COMMENTS;
    for (int t : text) ids[k++] = t;
    int python = k;
    ids[k++] = PYTHON;
    for (int c : code) {
      modalities[k] = 1;
      ids[k++] = c;
    }
    modalities[k] = 1;
    ids[k] = EOT;
    return TokenSequence.of(ids, modalities, python);
  }
}

package dev.text2code.objectives.infill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.Settings;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.InfillPrompt;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.CharacterTokenizer;
import dev.text2code.objectives.Sequences;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Infill prompts are the training examples' own beginnings, for the same prefix and suffix. */
class InfillPromptTest {
  private static final CharacterTokenizer T = Sequences.TOKENIZER;
  private static final String CODE = "def add(a, b):\n    return a + b\n";

  /** {@code <comments>Add.<python>CODE<eot>}. */
  private static TokenSequence pair() {
    return Sequences.pair(
        Arrays.stream(T.encode("Add.").toArray()).boxed().toList(),
        Arrays.stream(T.encode(CODE).toArray()).boxed().toList());
  }

  /** The pair up to and including {@code <python>}. */
  private static TokenSequence head(TokenSequence pair) {
    int n = pair.prefixIndex() + 1;
    return TokenSequence.of(
        Arrays.copyOf(pair.ids(), n), Arrays.copyOf(pair.modalityCodes(), n), pair.prefixIndex());
  }

  private static int indexOf(int[] ids, int id, int from) {
    for (int i = from; i < ids.length; i++) if (ids[i] == id) return i;
    throw new AssertionError("no " + T.tokenOf(id) + " after " + from);
  }

  private static String decode(int[] ids, int from, int to) {
    return T.decode(TokenIds.of(Arrays.copyOfRange(ids, from, to)));
  }

  @Test
  void aPsmPromptIsEveryTrainingRowUpToItsMiddleToken() {
    FillInTheMiddle fim =
        FillInTheMiddle.create(
            T, Settings.of(Map.of("objectives.fim.rate", "1", "objectives.fim.spm-rate", "0")));
    TokenSequence pair = pair();
    TokenSequence head = head(pair);
    int pre = T.specialTokenId("<fim_prefix>");
    int suf = T.specialTokenId("<fim_suffix>");
    int mid = T.specialTokenId("<fim_middle>");
    for (long seed = 0; seed < 200; seed++) {
      TrainingExample row = fim.apply(pair, new SplittableRandom(seed));
      int[] ids = row.inputIds();
      int p = indexOf(ids, pre, 0);
      int s = indexOf(ids, suf, p);
      int m = indexOf(ids, mid, s);
      InfillPrompt prompt =
          fim.infillPrompt(
              head, decode(ids, p + 1, s), decode(ids, s + 1, m), FillInTheMiddle.Layout.PSM);
      assertArrayEquals(Arrays.copyOf(ids, m + 1), prompt.tokens().ids(), "seed " + seed);
      // an input's modality is the target modality of the position before it
      assertArrayEquals(
          Arrays.copyOf(row.targetModalities(), m),
          Arrays.copyOfRange(prompt.tokens().modalityCodes(), 1, m + 1),
          "seed " + seed);
      assertEquals(pair.prefixIndex(), prompt.tokens().prefixIndex());
      assertEquals(List.of("<eot>"), prompt.stopSequences());
      // and the row goes on with the middle, then the end token the prompt stops at
      assertEquals(Sequences.EOT, row.inputIds()[row.length() - 1]);
    }
  }

  @Test
  void anSpmPromptPutsThePrefixAfterTheMiddleToken() {
    FillInTheMiddle fim =
        FillInTheMiddle.create(T, Settings.of(Map.of("objectives.fim.eod-token", "none")));
    InfillPrompt prompt =
        fim.infillPrompt(
            TokenSequence.of(new int[0], new byte[0], -1), "ab", "yz", FillInTheMiddle.Layout.SPM);
    assertEquals("<fim_prefix><fim_suffix>yz<fim_middle>ab", T.decode(prompt.tokens().tokenIds()));
    assertTrue(prompt.stopSequences().isEmpty(), "no end token was trained");
  }

  @Test
  void aCodeGen2PromptIsTheTrainingRowUpToTheFirstMaskAfterSep() {
    CodeGen2Infill infill =
        CodeGen2Infill.create(T, Settings.of(Map.of("objectives.codegen2-infill.max-spans", "1")));
    TokenSequence pair = pair();
    TokenSequence head = head(pair);
    int mask = T.specialTokenId("<mask_1>");
    int sep = T.specialTokenId("<sep>");
    for (long seed = 0; seed < 200; seed++) {
      TrainingExample row = infill.apply(pair, new SplittableRandom(seed));
      int[] ids = row.inputIds();
      int start = pair.prefixIndex() + 1;
      int hole = indexOf(ids, mask, start);
      int end = indexOf(ids, Sequences.EOT, hole);
      assertEquals(sep, ids[end + 1], T.decode(TokenIds.of(ids)));
      InfillPrompt prompt =
          infill.infillPrompt(T, head, decode(ids, start, hole), decode(ids, hole + 1, end));
      assertArrayEquals(Arrays.copyOf(ids, end + 3), prompt.tokens().ids(), "seed " + seed);
      assertEquals(List.of("<eom>"), prompt.stopSequences());
    }
  }
}

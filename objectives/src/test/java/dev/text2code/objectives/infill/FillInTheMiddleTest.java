package dev.text2code.objectives.infill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.objectives.Sequences;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FillInTheMiddleTest {
  @Test
  void cutsNeverSplitASpecialTokenSoLinearisedCodeSurvives() {
    FillInTheMiddle fim =
        FillInTheMiddle.create(
            Sequences.TOKENIZER,
            Settings.of(Map.of("objectives.fim.rate", "1", "objectives.fim.eod-token", "none")));
    int newLine = Sequences.TOKENIZER.specialTokenId("<NEW_LINE>");
    int[] ids =
        Sequences.TOKENIZER
            .encode("def f(x):<NEW_LINE><INDENT>return x<NEW_LINE><DEDENT><NEW_LINE>")
            .toArray();
    long expected = Arrays.stream(ids).filter(id -> id == newLine).count();
    for (long seed = 0; seed < 500; seed++) {
      int[] out =
          fim.apply(TokenSequence.uniform(ids, Modality.CODE), new SplittableRandom(seed))
              .inputIds();
      assertEquals(
          expected, Arrays.stream(out).filter(id -> id == newLine).count(), "seed " + seed);
      assertEquals(ids.length + 3, out.length, "three sentinels, same tokens otherwise");
    }
  }

  @Test
  void rateZeroLeavesTheDocumentAlone() {
    FillInTheMiddle fim =
        FillInTheMiddle.create(
            Sequences.TOKENIZER, Settings.of(Map.of("objectives.fim.rate", "0")));
    TokenSequence s = Sequences.pair(java.util.List.of(97, 98), java.util.List.of(99, 100, 101));
    assertTrue(Arrays.equals(s.ids(), fim.apply(s, new SplittableRandom(3)).inputIds()));
  }
}

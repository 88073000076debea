package dev.text2code.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.TextCodePair;
import org.junit.jupiter.api.Test;

class RunDataTest {
  @Test
  void theHeldOutSplitDependsOnContentNotOnWhereThePairWasRead() {
    TextCodePair a =
        TextCodePair.python("/tmp/one/pairs.jsonl:3", "Add.", "def add(a, b):\n    return a + b\n");
    TextCodePair b =
        TextCodePair.python("/home/x/pairs.jsonl:9", "Add.", "def add(a, b):\n    return a + b\n");
    assertEquals(RunData.isHeldOut(a, 0.3), RunData.isHeldOut(b, 0.3));
  }

  @Test
  void aboutTheRequestedShareIsHeldOut() {
    int held = 0;
    for (int i = 0; i < 10_000; i++) {
      if (RunData.isHeldOut(TextCodePair.python("p", "text " + i, "x = " + i + "\n"), 0.05)) held++;
    }
    assertTrue(held > 400 && held < 600, "held out " + held + " of 10000 at 5%");
  }
}

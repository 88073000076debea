package dev.text2code.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExamplesTest {
  @Test
  void sharedModalityNamesTheOneCodeOrAnswersMinusOne() {
    for (int n : new int[] {1, 7, 8, 9, 16, 1025}) {
      assertEquals(1, Examples.sharedModality(Examples.filled(n, (byte) 1)), "n = " + n);
      assertEquals(0, Examples.sharedModality(Examples.filled(n, (byte) 0)), "n = " + n);
      for (int odd = 1; odd < n; odd += Math.max(1, n / 5)) {
        byte[] codes = Examples.filled(n, (byte) 1);
        codes[odd] = 0;
        assertEquals(-1, Examples.sharedModality(codes), "n = " + n + ", differs at " + odd);
      }
    }
    assertEquals(-1, Examples.sharedModality(new byte[0]));
  }
}

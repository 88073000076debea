package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.api.objective.AttentionSpec;
import org.junit.jupiter.api.Test;

class AttentionMasksTest {
  @Test
  void theBiasIsZeroExactlyWhereTheSpecAllowsAttention() {
    AttentionSpec spec = AttentionSpec.segments(new int[] {0, 0, 0, 1, 1, 1, 1}, new int[] {2, 0});
    float[] bias = AttentionMasks.bias(spec);
    for (int q = 0; q < 7; q++) {
      for (int k = 0; k < 7; k++) {
        assertEquals(spec.canAttend(q, k) ? 0f : -1e9f, bias[q * 7 + k], q + "->" + k);
      }
    }
  }

  @Test
  void leftPaddingIsNeverAttendedToExceptByItself() {
    // row 0 has two padding positions, row 1 none; 2 queries are the last of 4 keys
    float[] bias = AttentionMasks.paddedCausalBias(new int[] {2, 0}, 2, 4);
    float m = -1e9f;
    float[] expected = {
      m,
      m,
      0,
      m, // row 0, query at 2
      m,
      m,
      0,
      0, // row 0, query at 3
      0,
      0,
      0,
      m, // row 1, query at 2
      0,
      0,
      0,
      0 // row 1, query at 3
    };
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], bias[i], "index " + i);
    float[] padQueries = AttentionMasks.paddedCausalBias(new int[] {2}, 4, 4);
    assertEquals(0f, padQueries[0]); // a padding query sees itself
    assertEquals(m, padQueries[4]); // and not the padding before it
    assertEquals(0f, padQueries[5]);
  }

  @Test
  void aPaddedPrefixPromptSeesItsPrefixLikeTheTrainingSpec() {
    // two padding positions, then a 5-token prompt whose first 3 tokens are the prefix
    int padding = 2;
    int length = 5;
    int prefix = 3;
    int keys = padding + length;
    float[] bias =
        AttentionMasks.paddedPrefixBias(new int[] {padding}, new int[] {prefix}, keys, keys);
    AttentionSpec training = AttentionSpec.prefix(length, prefix);
    for (int q = 0; q < keys; q++) {
      for (int k = 0; k < keys; k++) {
        boolean visible;
        if (q < padding) visible = k == q;
        else if (k < padding) visible = false;
        else visible = training.canAttend(q - padding, k - padding);
        assertEquals(visible ? 0f : -1e9f, bias[q * keys + k], q + "->" + k);
      }
    }
  }
}

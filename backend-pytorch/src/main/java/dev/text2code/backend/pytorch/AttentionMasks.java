package dev.text2code.backend.pytorch;

import dev.text2code.api.objective.AttentionSpec;

/** Additive attention biases (0 where a query may attend to a key, -1e9 where not). */
public final class AttentionMasks {
  private AttentionMasks() {}

  /** The {@code [T * T]} row-major bias of one example's attention spec. */
  public static float[] bias(AttentionSpec spec) {
    int n = spec.length();
    float[] out = new float[n * n];
    for (int q = 0; q < n; q++) {
      for (int k = 0; k < n; k++) {
        if (!spec.canAttend(q, k)) out[q * n + k] = GptModel.maskedScore();
      }
    }
    return out;
  }

  /**
   * The bias for generation rows that are left-padded: {@code padding[r]} leading positions of row
   * {@code r} are padding, never attended to (a padding query sees only itself, which keeps its
   * softmax finite). Queries are the last {@code queries} of {@code keys} positions, causal.
   *
   * @return {@code [rows * queries * keys]} row-major
   */
  public static float[] paddedCausalBias(int[] padding, int queries, int keys) {
    return paddedPrefixBias(padding, new int[padding.length], queries, keys);
  }

  /**
   * Like {@link #paddedCausalBias}, and the first {@code prefixLength[r]} real positions of row
   * {@code r} (after its padding) also see each other: a prefix-LM prompt.
   */
  public static float[] paddedPrefixBias(int[] padding, int[] prefixLength, int queries, int keys) {
    float[] out = new float[padding.length * queries * keys];
    int offset = keys - queries;
    for (int r = 0; r < padding.length; r++) {
      for (int qi = 0; qi < queries; qi++) {
        int q = offset + qi;
        int base = (r * queries + qi) * keys;
        for (int k = 0; k < keys; k++) {
          int prefixEnd = padding[r] + prefixLength[r];
          boolean real = q >= padding[r] && k >= padding[r];
          boolean visible = k == q || real && (k < q || q < prefixEnd && k < prefixEnd);
          if (!visible) out[base + k] = GptModel.maskedScore();
        }
      }
    }
    return out;
  }
}

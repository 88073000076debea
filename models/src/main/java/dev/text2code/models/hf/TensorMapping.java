package dev.text2code.models.hf;

import java.util.Arrays;
import java.util.Objects;

/**
 * How one SDK parameter is stored in a family's Hugging Face file: its name there, whether the
 * matrix is stored transposed ({@code nn.Linear} keeps {@code [out, in]}; the SDK and GPT-2's
 * {@code Conv1D} keep {@code [in, out]}), and an optional permutation of the output units (fused
 * q/k/v layouts that interleave heads or shards). One mapping serves both directions, so import and
 * export are exact inverses.
 *
 * @param sdkName the canonical name (ParameterLayout)
 * @param hfName the name in the file, with the family's prefix
 * @param transposed whether a matrix is stored {@code [out, in]}
 * @param outputOrder null, or for each SDK output unit c the stored output unit holding it
 */
record TensorMapping(String sdkName, String hfName, boolean transposed, int[] outputOrder) {
  TensorMapping {
    Objects.requireNonNull(sdkName, "sdkName");
    Objects.requireNonNull(hfName, "hfName");
    outputOrder = outputOrder == null ? null : outputOrder.clone();
  }

  static TensorMapping same(String sdkName, String hfName) {
    return new TensorMapping(sdkName, hfName, false, null);
  }

  static TensorMapping linear(String sdkName, String hfName) {
    return new TensorMapping(sdkName, hfName, sdkName.endsWith(".weight"), null);
  }

  /** The stored shape of a tensor whose SDK shape is {@code sdkShape}. */
  long[] hfShape(long[] sdkShape) {
    if (transposed && sdkShape.length == 2) return new long[] {sdkShape[1], sdkShape[0]};
    return sdkShape.clone();
  }

  /** Stored values to SDK values. */
  float[] toSdk(float[] stored, long[] sdkShape) {
    if (!transposed && outputOrder == null) return stored;
    float[] out = new float[stored.length];
    if (sdkShape.length == 1) {
      for (int c = 0; c < out.length; c++) out[c] = stored[outputOrder[c]];
      return out;
    }
    int in = (int) sdkShape[0];
    int units = (int) sdkShape[1];
    for (int c = 0; c < units; c++) {
      int r = outputOrder == null ? c : outputOrder[c];
      for (int i = 0; i < in; i++) {
        out[i * units + c] = transposed ? stored[r * in + i] : stored[i * units + r];
      }
    }
    return out;
  }

  /** SDK values to stored values (the inverse of {@link #toSdk}). */
  float[] toHf(float[] sdk, long[] sdkShape) {
    if (!transposed && outputOrder == null) return sdk;
    float[] out = new float[sdk.length];
    if (sdkShape.length == 1) {
      for (int c = 0; c < out.length; c++) out[outputOrder[c]] = sdk[c];
      return out;
    }
    int in = (int) sdkShape[0];
    int units = (int) sdkShape[1];
    for (int c = 0; c < units; c++) {
      int r = outputOrder == null ? c : outputOrder[c];
      for (int i = 0; i < in; i++) {
        if (transposed) out[r * in + i] = sdk[i * units + c];
        else out[i * units + r] = sdk[i * units + c];
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorMapping m
        && sdkName.equals(m.sdkName)
        && hfName.equals(m.hfName)
        && transposed == m.transposed
        && Arrays.equals(outputOrder, m.outputOrder);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sdkName, hfName, transposed, Arrays.hashCode(outputOrder));
  }
}

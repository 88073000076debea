package dev.text2code.backend.tensorflow;

/**
 * AdamW with PyTorch semantics (docs/MODEL.md), in Java over float arrays: decoupled weight decay
 * on rank-2 parameters, bias-corrected moments. Scalars are double, tensors float32 as in PyTorch.
 */
final class AdamW {
  private AdamW() {}

  /**
   * Updates one parameter in place.
   *
   * @param step the 1-based step number {@code t}
   */
  static void update(
      float[] parameter,
      float[] gradient,
      float[] m,
      float[] v,
      long step,
      double learningRate,
      double weightDecay,
      boolean decayed,
      double beta1,
      double beta2,
      double epsilon) {
    double biasCorrection1 = 1 - Math.pow(beta1, step);
    double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    double stepSize = learningRate / biasCorrection1;
    float decay = (float) (1 - learningRate * weightDecay);
    float oneMinusBeta1 = (float) (1 - beta1);
    float oneMinusBeta2 = (float) (1 - beta2);
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    for (int i = 0; i < parameter.length; i++) {
      float g = gradient[i];
      float p = decayed ? parameter[i] * decay : parameter[i];
      float mi = b1 * m[i] + oneMinusBeta1 * g;
      float vi = b2 * v[i] + oneMinusBeta2 * g * g;
      m[i] = mi;
      v[i] = vi;
      double denominator = Math.sqrt(vi) / biasCorrection2Sqrt + epsilon;
      parameter[i] = (float) (p - stepSize * mi / denominator);
    }
  }
}

package dev.text2code.api.checkpoint;

import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.objective.AttentionSpec;
import java.util.Map;

/**
 * A plain-Java, double-precision evaluation of the forward pass of docs/MODEL.md. It is slow and
 * exists as the oracle every backend's logits are tested against (and to inspect a checkpoint
 * without any native library).
 */
public final class ReferenceForward {
  private final ModelSpec spec;
  private final Map<String, Tensor> weights;

  public ReferenceForward(ModelSpec spec, Map<String, Tensor> weights) {
    this.spec = spec;
    this.weights = ParameterLayout.checkComplete(spec, weights, "reference forward");
  }

  public static ReferenceForward of(Checkpoint checkpoint) {
    return new ReferenceForward(checkpoint.spec(), checkpoint.weights());
  }

  /** Logits {@code [position][row]} for one row of routed ids. */
  public float[][] logits(int[] inputIds, int[] positionIds, AttentionSpec attention) {
    int n = inputIds.length;
    int w = spec.width();
    int heads = spec.heads();
    int d = spec.headSize();
    float[] wte = weights.get("wte").data();
    float[] wpe = weights.get("wpe").data();
    double[][] x = new double[n][w];
    for (int t = 0; t < n; t++) {
      for (int j = 0; j < w; j++) {
        x[t][j] = wte[inputIds[t] * w + j] + (double) wpe[positionIds[t] * w + j];
      }
    }
    for (int layer = 0; layer < spec.layers(); layer++) {
      String b = "h." + layer + ".";
      double[][] a = layerNorm(x, b + "ln_1");
      double[][] qkv = linear(a, b + "attn.c_attn");
      double[][] out = new double[n][w];
      double scale = 1.0 / Math.sqrt(d);
      for (int h = 0; h < heads; h++) {
        for (int q = 0; q < n; q++) {
          double[] scores = new double[n];
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < n; k++) {
            double s = 0;
            for (int i = 0; i < d; i++) s += qkv[q][h * d + i] * qkv[k][w + h * d + i];
            scores[k] = attention.canAttend(q, k) ? s * scale : -1e9;
            max = Math.max(max, scores[k]);
          }
          double sum = 0;
          for (int k = 0; k < n; k++) {
            scores[k] = Math.exp(scores[k] - max);
            sum += scores[k];
          }
          for (int k = 0; k < n; k++) {
            double p = scores[k] / sum;
            for (int i = 0; i < d; i++) out[q][h * d + i] += p * qkv[k][2 * w + h * d + i];
          }
        }
      }
      add(x, linear(out, b + "attn.c_proj"));
      double[][] m = linear(layerNorm(x, b + "ln_2"), b + "mlp.c_fc");
      for (double[] row : m) {
        for (int i = 0; i < row.length; i++) row[i] = gelu(row[i]);
      }
      add(x, linear(m, b + "mlp.c_proj"));
    }
    double[][] f = layerNorm(x, "ln_f");
    int rows = spec.embeddingRows();
    float[][] logits = new float[n][rows];
    for (int t = 0; t < n; t++) {
      for (int r = 0; r < rows; r++) {
        double s = 0;
        for (int j = 0; j < w; j++) s += f[t][j] * wte[r * w + j];
        logits[t][r] = (float) s;
      }
    }
    return logits;
  }

  private double[][] layerNorm(double[][] x, String name) {
    float[] g = weights.get(name + ".weight").data();
    float[] bias = weights.get(name + ".bias").data();
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double mean = 0;
      for (double v : x[t]) mean += v;
      mean /= x[t].length;
      double var = 0;
      for (double v : x[t]) var += (v - mean) * (v - mean);
      var /= x[t].length;
      double inv = 1.0 / Math.sqrt(var + 1e-5);
      y[t] = new double[x[t].length];
      for (int j = 0; j < x[t].length; j++) y[t][j] = (x[t][j] - mean) * inv * g[j] + bias[j];
    }
    return y;
  }

  private double[][] linear(double[][] x, String name) {
    Tensor weight = weights.get(name + ".weight");
    float[] wData = weight.data();
    float[] bias = weights.get(name + ".bias").data();
    int in = (int) weight.shape()[0];
    int out = (int) weight.shape()[1];
    double[][] y = new double[x.length][out];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < out; o++) y[t][o] = bias[o];
      for (int i = 0; i < in; i++) {
        double xi = x[t][i];
        int base = i * out;
        for (int o = 0; o < out; o++) y[t][o] += xi * wData[base + o];
      }
    }
    return y;
  }

  private static void add(double[][] x, double[][] y) {
    for (int t = 0; t < x.length; t++) {
      for (int j = 0; j < x[t].length; j++) x[t][j] += y[t][j];
    }
  }

  /**
   * Exact GELU; erf by Abramowitz–Stegun 7.1.26 is too coarse, so use a high-precision
   * series/continued form.
   */
  static double gelu(double z) {
    return 0.5 * z * (1 + erf(z / Math.sqrt(2)));
  }

  /** erf with absolute error below 1e-12 (Taylor series for |x| < 3, continued fraction beyond). */
  static double erf(double x) {
    double ax = Math.abs(x);
    double result;
    if (ax < 3) {
      double term = ax;
      double sum = ax;
      double x2 = ax * ax;
      for (int n = 1; n < 200; n++) {
        term *= -x2 / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17) break;
      }
      result = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      // erfc continued fraction (Lentz), converges fast for ax >= 3
      double f = ax;
      for (int n = 60; n >= 1; n--) f = ax + (n / 2.0) / f;
      result = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
    }
    return x < 0 ? -result : result;
  }
}

package dev.text2code.api.checkpoint;

import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.objective.AttentionSpec;
import java.util.Map;

/**
 * A plain-Java, double-precision evaluation of the forward pass of docs/MODEL.md for every {@link
 * Architecture}. It is slow and exists as the oracle every backend's logits are tested against (and
 * to inspect a checkpoint without any native library).
 */
// The plain-Java forward of every architecture (double precision, no natives): the oracle the
// backends are tested against (checked against real Hugging Face outputs in models' tests) and the
// `reference` engine of `sdk-cli logits`, so it stays in main rather than the test-jar.
public final class ReferenceForward {
  private final ModelSpec spec;
  private final Architecture arch;
  private final Map<String, Tensor> weights;

  public ReferenceForward(ModelSpec spec, Map<String, Tensor> weights) {
    this.spec = spec;
    this.arch = spec.architecture();
    this.weights = ParameterLayout.checkComplete(spec, weights, "reference forward");
  }

  public static ReferenceForward of(Checkpoint checkpoint) {
    return new ReferenceForward(checkpoint.spec(), checkpoint.weights());
  }

  /** Logits {@code [position][row]} for one row of routed ids. */
  public float[][] logits(int[] inputIds, int[] positionIds, AttentionSpec attention) {
    return logits(inputIds, positionIds, attention, null);
  }

  /**
   * Logits {@code [position][row]} for one row of routed ids of which only the keys with {@code
   * keyVisible[k]} may be attended to (left padding: false on the pads), on top of {@code
   * attention} and the layer's window. Rows of positions that see no key are undefined.
   */
  public float[][] logits(
      int[] inputIds, int[] positionIds, AttentionSpec attention, boolean[] keyVisible) {
    int n = inputIds.length;
    if (positionIds.length != n || (keyVisible != null && keyVisible.length != n)) {
      throw new IllegalArgumentException(
          "input, position and mask lengths differ: " + n + ", " + positionIds.length);
    }
    int w = spec.width();
    float[] wte = weights.get("wte").data();
    double[][] x = new double[n][w];
    boolean learned = arch.positions().kind() == Architecture.PositionKind.LEARNED;
    float[] wpe = learned ? weights.get("wpe").data() : null;
    for (int t = 0; t < n; t++) {
      for (int j = 0; j < w; j++) {
        x[t][j] = wte[inputIds[t] * w + j] + (learned ? (double) wpe[positionIds[t] * w + j] : 0);
      }
    }
    for (int layer = 0; layer < spec.layers(); layer++) {
      String b = "h." + layer + ".";
      int window = arch.attention().windowOf(layer);
      double[][] a = norm(x, b + "ln_1");
      double[][] attn = selfAttention(a, b, positionIds, attention, keyVisible, window);
      switch (arch.residual()) {
        case SEQUENTIAL -> {
          add(x, attn);
          add(x, mlp(norm(x, b + "ln_2"), b));
        }
        case PARALLEL_SHARED_NORM -> {
          double[][] m = mlp(a, b);
          add(x, attn);
          add(x, m);
        }
        case PARALLEL_TWO_NORMS -> {
          double[][] m = mlp(norm(x, b + "ln_2"), b);
          add(x, attn);
          add(x, m);
        }
      }
    }
    double[][] f = norm(x, "ln_f");
    if (arch.topQueryLayer()) topQueryLayer(f, positionIds, attention, keyVisible);
    int rows = spec.embeddingRows();
    float[] head = arch.head().tied() ? wte : weights.get("lm_head.weight").data();
    float[] headBias = arch.head().bias() ? weights.get("lm_head.bias").data() : null;
    float[][] logits = new float[n][rows];
    for (int t = 0; t < n; t++) {
      for (int r = 0; r < rows; r++) {
        double s = headBias == null ? 0 : headBias[r];
        for (int j = 0; j < w; j++) s += f[t][j] * head[r * w + j];
        logits[t][r] = (float) s;
      }
    }
    return logits;
  }

  /**
   * Greedy continuation by full recomputation: {@code newTokens} argmax rows after {@code prompt}
   * (positions 0, 1, ..., causal attention).
   */
  public int[] greedy(int[] prompt, int newTokens) {
    int[] sequence = java.util.Arrays.copyOf(prompt, prompt.length + newTokens);
    for (int step = 0; step < newTokens; step++) {
      int n = prompt.length + step;
      int[] ids = java.util.Arrays.copyOf(sequence, n);
      int[] positions = new int[n];
      for (int i = 0; i < n; i++) positions[i] = i;
      float[] last = logits(ids, positions, AttentionSpec.causal(n))[n - 1];
      int best = 0;
      for (int r = 1; r < last.length; r++) if (last[r] > last[best]) best = r;
      sequence[n] = best;
    }
    return java.util.Arrays.copyOfRange(sequence, prompt.length, sequence.length);
  }

  private double[][] selfAttention(
      double[][] a,
      String b,
      int[] positions,
      AttentionSpec attention,
      boolean[] keyVisible,
      int window) {
    int d = spec.headSize();
    int qWidth = spec.heads() * d;
    int kvWidth = spec.kvHeads() * d;
    double[][] q;
    double[][] k;
    double[][] v;
    if (arch.attention().fusedQkv()) {
      double[][] qkv = linear(a, b + "attn.c_attn");
      q = columns(qkv, 0, qWidth);
      k = columns(qkv, qWidth, kvWidth);
      v = columns(qkv, qWidth + kvWidth, kvWidth);
    } else {
      q = linear(a, b + "attn.q_proj");
      k = linear(a, b + "attn.k_proj");
      v = linear(a, b + "attn.v_proj");
    }
    if (arch.positions().kind() == Architecture.PositionKind.ROTARY) {
      rotate(q, spec.heads(), positions);
      rotate(k, spec.kvHeads(), positions);
    }
    double[][] o = attend(q, k, v, spec.heads(), spec.kvHeads(), attention, keyVisible, window);
    return linear(o, b + "attn.c_proj");
  }

  private void topQueryLayer(
      double[][] f, int[] positions, AttentionSpec attention, boolean[] keyVisible) {
    int n = f.length;
    int w = spec.width();
    float[] table = weights.get("top_query_embedding").data();
    double[][] queryRows = new double[n][w];
    for (int t = 0; t < n; t++) {
      for (int j = 0; j < w; j++) queryRows[t][j] = table[positions[t] * w + j];
    }
    double[][] q = linear(queryRows, "top.attn.q_proj");
    double[][] kv = linear(norm(f, "top.ln_1"), "top.attn.c_attn");
    double[][] o =
        attend(
            q,
            columns(kv, 0, w),
            columns(kv, w, w),
            spec.heads(),
            spec.heads(),
            attention,
            keyVisible,
            0);
    add(f, linear(o, "top.attn.c_proj"));
    add(f, mlp(norm(f, "top.ln_2"), "top."));
  }

  private double[][] attend(
      double[][] q,
      double[][] k,
      double[][] v,
      int heads,
      int kvHeads,
      AttentionSpec attention,
      boolean[] keyVisible,
      int window) {
    int n = q.length;
    int d = spec.headSize();
    int group = heads / kvHeads;
    double scale = arch.attention().scaled() ? 1.0 / Math.sqrt(d) : 1.0;
    double[][] out = new double[n][heads * d];
    for (int h = 0; h < heads; h++) {
      int kvh = h / group; // consecutive query heads share a kv head
      for (int t = 0; t < n; t++) {
        double[] scores = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < n; s++) {
          boolean visible =
              attention.canAttend(t, s)
                  && (keyVisible == null || keyVisible[s])
                  && (window == 0 || t - s < window);
          double dot = 0;
          for (int i = 0; i < d; i++) dot += q[t][h * d + i] * k[s][kvh * d + i];
          scores[s] = visible ? dot * scale : -1e9;
          max = Math.max(max, scores[s]);
        }
        double sum = 0;
        for (int s = 0; s < n; s++) {
          scores[s] = Math.exp(scores[s] - max);
          sum += scores[s];
        }
        for (int s = 0; s < n; s++) {
          double p = scores[s] / sum;
          for (int i = 0; i < d; i++) out[t][h * d + i] += p * v[s][kvh * d + i];
        }
      }
    }
    return out;
  }

  /** Rotary position embedding on the first {@code rotaryDims} dims of every head, in place. */
  private void rotate(double[][] x, int heads, int[] positions) {
    int d = spec.headSize();
    int r = spec.rotaryDims();
    double base = arch.positions().rotaryBase();
    boolean half = arch.positions().pairing() == Architecture.RotaryPairing.HALF;
    for (int t = 0; t < x.length; t++) {
      for (int h = 0; h < heads; h++) {
        int o = h * d;
        for (int i = 0; i < r / 2; i++) {
          double angle = positions[t] * Math.pow(base, -2.0 * i / r);
          double cos = Math.cos(angle);
          double sin = Math.sin(angle);
          int first = half ? o + i : o + 2 * i;
          int second = half ? o + i + r / 2 : o + 2 * i + 1;
          double a = x[t][first];
          double c = x[t][second];
          x[t][first] = a * cos - c * sin;
          x[t][second] = c * cos + a * sin;
        }
      }
    }
  }

  private double[][] mlp(double[][] m, String b) {
    double[][] up = linear(m, b + "mlp.c_fc");
    switch (arch.mlp().activation()) {
      case GELU -> apply(up, ReferenceForward::gelu);
      case GELU_TANH -> apply(up, ReferenceForward::geluTanh);
      case SILU_GATED -> {
        double[][] gate = linear(m, b + "mlp.c_gate");
        for (int t = 0; t < up.length; t++) {
          for (int i = 0; i < up[t].length; i++) {
            double g = gate[t][i];
            up[t][i] *= g / (1 + Math.exp(-g));
          }
        }
      }
    }
    return linear(up, b + "mlp.c_proj");
  }

  private static void apply(double[][] x, java.util.function.DoubleUnaryOperator f) {
    for (double[] row : x) {
      for (int i = 0; i < row.length; i++) row[i] = f.applyAsDouble(row[i]);
    }
  }

  private static double[][] columns(double[][] x, int from, int count) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++)
      y[t] = java.util.Arrays.copyOfRange(x[t], from, from + count);
    return y;
  }

  private double[][] norm(double[][] x, String name) {
    float[] g = weights.get(name + ".weight").data();
    boolean layerNorm = arch.norm().kind() == Architecture.NormKind.LAYER_NORM;
    float[] bias = layerNorm ? weights.get(name + ".bias").data() : null;
    double eps = arch.norm().epsilon();
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      int w = x[t].length;
      double mean = 0;
      if (layerNorm) {
        for (double v : x[t]) mean += v;
        mean /= w;
      }
      double var = 0;
      for (double v : x[t]) var += (v - mean) * (v - mean);
      var /= w;
      double inv = 1.0 / Math.sqrt(var + eps);
      y[t] = new double[w];
      for (int j = 0; j < w; j++) {
        y[t][j] = (x[t][j] - mean) * inv * g[j] + (layerNorm ? bias[j] : 0);
      }
    }
    return y;
  }

  private double[][] linear(double[][] x, String name) {
    Tensor weight = weights.get(name + ".weight");
    float[] wData = weight.data();
    Tensor biasTensor = weights.get(name + ".bias");
    float[] bias = biasTensor == null ? null : biasTensor.data();
    int in = (int) weight.shape()[0];
    int out = (int) weight.shape()[1];
    double[][] y = new double[x.length][out];
    for (int t = 0; t < x.length; t++) {
      if (bias != null) {
        for (int o = 0; o < out; o++) y[t][o] = bias[o];
      }
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

  /** GPT-2's {@code gelu_new}: the tanh approximation. */
  static double geluTanh(double z) {
    return 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
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

package dev.text2code.backend.tensorflow;

import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Adds the transformer of docs/MODEL.md to a TensorFlow graph. Parameters come from the caller
 * (placeholders for training, constants for generation), keyed by their canonical names.
 *
 * <p>Activations are kept as {@code [rows * positions, width]} matrices; attention reshapes to
 * {@code [rows, heads, positions, headSize]}.
 */
final class TransformerGraph {
  /** The score given to positions a query may not attend to and to excluded vocabulary rows. */
  static final float MASKED = -1e9f;

  private final Ops tf;
  private final ModelSpec spec;
  private final Architecture arch;
  private final Map<String, Operand<TFloat32>> parameters;
  private final Optional<Dropout> dropout;
  private int dropoutSites;

  /**
   * Dropout inputs: the rate (0 in evaluation mode, which makes dropout the identity) and a
   * stateless seed pair, so that masks are a pure function of (seed, step, micro-batch).
   */
  record Dropout(Operand<TFloat32> rate, Operand<TInt64> seed) {}

  /**
   * The keys and values of every layer (and of a top query layer), {@code [layers, rows, kvHeads,
   * positions, headSize]}.
   */
  record Cache(Operand<TFloat32> keys, Operand<TFloat32> values) {}

  /** Final hidden states {@code [rows * positions, width]} (after {@code ln_f}) and new cache. */
  record Output(Operand<TFloat32> hidden, Optional<Cache> cache) {}

  TransformerGraph(
      Ops tf,
      ModelSpec spec,
      Map<String, Operand<TFloat32>> parameters,
      Optional<Dropout> dropout) {
    this.tf = tf;
    this.spec = spec;
    this.arch = spec.architecture();
    this.parameters = parameters;
    this.dropout = dropout;
  }

  private Operand<TFloat32> p(String name) {
    Operand<TFloat32> operand = parameters.get(name);
    if (operand == null) throw new IllegalStateException("parameter " + name + " not in graph");
    return operand;
  }

  /**
   * The forward pass.
   *
   * @param ids routed rows {@code [rows, positions]}
   * @param positions position ids {@code [rows, positions]}
   * @param keyPositions position ids of every key {@code [rows, past + positions]} (for local
   *     windows); empty = {@code positions} (no cache)
   * @param mask 1 where query may attend key, else 0: {@code [rows, positions, past + positions]}
   * @param past the cache of earlier positions, if generating incrementally
   * @param applyFinalNorm false to leave {@code ln_f} to the caller (it may select rows first);
   *     ignored with a top query layer, which needs every final hidden state
   */
  Output forward(
      Operand<TInt32> ids,
      Operand<TInt32> positions,
      Optional<Operand<TInt32>> keyPositions,
      Operand<TFloat32> mask,
      Optional<Cache> past,
      boolean applyFinalNorm) {
    int width = spec.width();
    Operand<TInt32> flatIds = tf.reshape(ids, tf.constant(new int[] {-1}));
    Operand<TInt32> flatPositions = tf.reshape(positions, tf.constant(new int[] {-1}));
    Operand<TFloat32> x = tf.gather(p("wte"), flatIds, tf.constant(0));
    if (arch.positions().kind() == Architecture.PositionKind.LEARNED) {
      x = tf.math.add(x, tf.gather(p("wpe"), flatPositions, tf.constant(0)));
    }
    x = drop(x);
    Operand<TInt32> dims = tf.shape(ids);
    Operand<TInt32> rows = tf.gather(dims, tf.constant(0), tf.constant(0));
    Operand<TInt32> length = tf.gather(dims, tf.constant(1), tf.constant(0));
    Operand<TInt32> headShape =
        tf.stack(List.of(rows, length, tf.constant(spec.heads()), tf.constant(spec.headSize())));
    Operand<TInt32> kvShape =
        tf.stack(List.of(rows, length, tf.constant(spec.kvHeads()), tf.constant(spec.headSize())));
    // additive form of "s = -1e9 where masked": s*m + (m-1)*1e9 is exactly s or exactly -1e9
    Operand<TFloat32> m = tf.expandDims(mask, tf.constant(1));
    Operand<TFloat32> maskBias = tf.math.mul(tf.math.sub(m, tf.constant(1f)), tf.constant(1e9f));
    Rotary rotary =
        arch.positions().kind() == Architecture.PositionKind.ROTARY ? rotary(positions) : null;
    // query minus key position [rows, 1, q, k], for local windows
    Operand<TInt32> distance =
        tf.math.sub(
            tf.reshape(positions, tf.stack(List.of(rows, tf.constant(1), length, tf.constant(1)))),
            tf.expandDims(
                tf.expandDims(keyPositions.orElse(positions), tf.constant(1)), tf.constant(1)));
    List<Operand<TFloat32>> keys = new ArrayList<>();
    List<Operand<TFloat32>> values = new ArrayList<>();
    for (int layer = 0; layer < spec.layers(); layer++) {
      String b = "h." + layer + ".";
      Operand<TFloat32> a = norm(x, b + "ln_1");
      Operand<TFloat32> q;
      Operand<TFloat32> k;
      Operand<TFloat32> v;
      if (arch.attention().fusedQkv()) {
        Operand<TFloat32> qkv = linear(a, b + "attn.c_attn");
        List<org.tensorflow.Output<TFloat32>> parts;
        if (spec.kvHeads() == spec.heads()) {
          parts = tf.split(tf.constant(1), qkv, 3L).output();
        } else {
          long qWidth = (long) spec.heads() * spec.headSize();
          long kvWidth = (long) spec.kvHeads() * spec.headSize();
          parts =
              tf.splitV(qkv, tf.constant(new long[] {qWidth, kvWidth, kvWidth}), tf.constant(1), 3L)
                  .output();
        }
        q = heads(parts.get(0), headShape);
        k = heads(parts.get(1), kvShape);
        v = heads(parts.get(2), kvShape);
      } else {
        q = heads(linear(a, b + "attn.q_proj"), headShape);
        k = heads(linear(a, b + "attn.k_proj"), kvShape);
        v = heads(linear(a, b + "attn.v_proj"), kvShape);
      }
      if (rotary != null) {
        q = rotary.apply(q);
        k = rotary.apply(k);
      }
      if (past.isPresent()) {
        Operand<TInt32> index = tf.constant(layer);
        k =
            tf.concat(
                List.of(tf.gather(past.get().keys(), index, tf.constant(0)), k), tf.constant(2));
        v =
            tf.concat(
                List.of(tf.gather(past.get().values(), index, tf.constant(0)), v), tf.constant(2));
      }
      keys.add(k);
      values.add(v);
      int window = arch.attention().windowOf(layer);
      Operand<TFloat32> layerMask = m;
      Operand<TFloat32> layerBias = maskBias;
      if (window > 0) {
        layerMask =
            tf.math.mul(
                m, tf.dtypes.cast(tf.math.less(distance, tf.constant(window)), TFloat32.class));
        layerBias = tf.math.mul(tf.math.sub(layerMask, tf.constant(1f)), tf.constant(1e9f));
      }
      Operand<TFloat32> merged = attend(q, k, v, spec.kvHeads(), layerMask, layerBias, width);
      Operand<TFloat32> attention = drop(linear(merged, b + "attn.c_proj"));
      switch (arch.residual()) {
        case SEQUENTIAL -> {
          x = tf.math.add(x, attention);
          x = tf.math.add(x, drop(mlp(norm(x, b + "ln_2"), b)));
        }
        case PARALLEL_SHARED_NORM -> {
          Operand<TFloat32> mlp = drop(mlp(a, b));
          x = tf.math.add(tf.math.add(x, attention), mlp);
        }
        case PARALLEL_TWO_NORMS -> {
          Operand<TFloat32> mlp = drop(mlp(norm(x, b + "ln_2"), b));
          x = tf.math.add(tf.math.add(x, attention), mlp);
        }
      }
    }
    Operand<TFloat32> out;
    if (arch.topQueryLayer()) {
      Operand<TFloat32> f = norm(x, "ln_f");
      Operand<TFloat32> q =
          heads(
              linear(
                  tf.gather(p("top_query_embedding"), flatPositions, tf.constant(0)),
                  "top.attn.q_proj"),
              headShape);
      Operand<TFloat32> kv = linear(norm(f, "top.ln_1"), "top.attn.c_attn");
      List<org.tensorflow.Output<TFloat32>> parts = tf.split(tf.constant(1), kv, 2L).output();
      Operand<TFloat32> k = heads(parts.get(0), headShape);
      Operand<TFloat32> v = heads(parts.get(1), headShape);
      if (past.isPresent()) {
        Operand<TInt32> index = tf.constant(spec.layers());
        k =
            tf.concat(
                List.of(tf.gather(past.get().keys(), index, tf.constant(0)), k), tf.constant(2));
        v =
            tf.concat(
                List.of(tf.gather(past.get().values(), index, tf.constant(0)), v), tf.constant(2));
      }
      keys.add(k);
      values.add(v);
      f =
          tf.math.add(
              f,
              drop(linear(attend(q, k, v, spec.heads(), m, maskBias, width), "top.attn.c_proj")));
      out = tf.math.add(f, drop(mlp(norm(f, "top.ln_2"), "top.")));
    } else {
      out = applyFinalNorm ? norm(x, "ln_f") : x;
    }
    Optional<Cache> cache =
        past.isPresent()
            ? Optional.of(new Cache(tf.stack(keys), tf.stack(values)))
            : Optional.empty();
    return new Output(out, cache);
  }

  /** Cache layers: one per block, and one more for a top query layer. */
  static int cacheLayers(ModelSpec spec) {
    return spec.layers() + (spec.architecture().topQueryLayer() ? 1 : 0);
  }

  /**
   * Scaled (or unscaled) masked softmax attention; k and v may have fewer heads than q (each kv
   * head serves {@code heads / kvHeads} consecutive query heads). Returns {@code [-1, width]}.
   */
  private Operand<TFloat32> attend(
      Operand<TFloat32> q,
      Operand<TFloat32> k,
      Operand<TFloat32> v,
      int kvHeads,
      Operand<TFloat32> m,
      Operand<TFloat32> maskBias,
      int width) {
    int heads = spec.heads();
    if (kvHeads != heads) {
      k = repeatHeads(k, heads / kvHeads);
      v = repeatHeads(v, heads / kvHeads);
    }
    Operand<TFloat32> scores = tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true));
    if (arch.attention().scaled()) {
      scores = tf.math.mul(scores, tf.constant((float) (1.0 / Math.sqrt(spec.headSize()))));
    }
    scores = tf.math.add(tf.math.mul(scores, m), maskBias);
    Operand<TFloat32> probabilities = drop(tf.nn.softmax(scores));
    Operand<TFloat32> attended = tf.train.batchMatMul(probabilities, v, TFloat32.class);
    return tf.reshape(
        tf.linalg.transpose(attended, tf.constant(new int[] {0, 2, 1, 3})),
        tf.constant(new int[] {-1, width}));
  }

  /** {@code [rows, KV, T, D]} to {@code [rows, KV * group, T, D]}, each kv head {@code group}×. */
  private Operand<TFloat32> repeatHeads(Operand<TFloat32> x, int group) {
    Operand<TInt32> shape = tf.shape(x);
    Operand<TFloat32> tiled =
        tf.tile(tf.expandDims(x, tf.constant(2)), tf.constant(new int[] {1, 1, group, 1, 1}));
    return tf.reshape(
        tiled,
        tf.stack(
            List.of(
                tf.gather(shape, tf.constant(0), tf.constant(0)),
                tf.constant(spec.heads()),
                tf.gather(shape, tf.constant(2), tf.constant(0)),
                tf.constant(spec.headSize()))));
  }

  /**
   * Rotation tables for the given positions: cos and sin {@code [rows, 1, T, r/2]} from
   * double-precision tables of every position.
   */
  private Rotary rotary(Operand<TInt32> positions) {
    int r = spec.rotaryDims();
    int half = r / 2;
    int context = spec.contextLength();
    float[] cos = new float[context * half];
    float[] sin = new float[context * half];
    double base = arch.positions().rotaryBase();
    for (int t = 0; t < context; t++) {
      for (int i = 0; i < half; i++) {
        double angle = t * Math.pow(base, -2.0 * i / r);
        cos[t * half + i] = (float) Math.cos(angle);
        sin[t * half + i] = (float) Math.sin(angle);
      }
    }
    Shape table = Shape.of(context, half);
    Operand<TFloat32> cosTable = tf.constant(table, DataBuffers.of(cos, true, false));
    Operand<TFloat32> sinTable = tf.constant(table, DataBuffers.of(sin, true, false));
    Operand<TFloat32> c = tf.expandDims(tf.gather(cosTable, positions, tf.constant(0)), one());
    Operand<TFloat32> s = tf.expandDims(tf.gather(sinTable, positions, tf.constant(0)), one());
    return new Rotary(c, s, r);
  }

  private Operand<TInt32> one() {
    return tf.constant(1);
  }

  /** Rotates the first r dims of every head (q and k alike). */
  private final class Rotary {
    private final Operand<TFloat32> cos;
    private final Operand<TFloat32> sin;
    private final int r;

    Rotary(Operand<TFloat32> cos, Operand<TFloat32> sin, int r) {
      this.cos = cos;
      this.sin = sin;
      this.r = r;
    }

    Operand<TFloat32> apply(Operand<TFloat32> x) {
      int d = spec.headSize();
      int half = r / 2;
      Operand<TInt32> axis = tf.constant(3);
      Operand<TFloat32> first;
      Operand<TFloat32> second;
      if (arch.positions().pairing() == Architecture.RotaryPairing.HALF) {
        first = slice(x, 0, half);
        second = slice(x, half, half);
      } else {
        // adjacent pairs (2i, 2i+1): q and k are permuted alike, so q·k is unchanged by the
        // order the rotated halves come back in
        int[] even = new int[half];
        int[] odd = new int[half];
        for (int i = 0; i < half; i++) {
          even[i] = 2 * i;
          odd[i] = 2 * i + 1;
        }
        first = tf.gather(x, tf.constant(even), axis);
        second = tf.gather(x, tf.constant(odd), axis);
      }
      List<Operand<TFloat32>> parts = new ArrayList<>();
      parts.add(tf.math.sub(tf.math.mul(first, cos), tf.math.mul(second, sin)));
      parts.add(tf.math.add(tf.math.mul(second, cos), tf.math.mul(first, sin)));
      if (r < d) parts.add(slice(x, r, d - r));
      return tf.concat(parts, axis);
    }

    private Operand<TFloat32> slice(Operand<TFloat32> x, int from, int count) {
      return tf.slice(
          x, tf.constant(new int[] {0, 0, 0, from}), tf.constant(new int[] {-1, -1, -1, count}));
    }
  }

  /** {@code ln_f} applied to hidden states chosen by the caller. */
  Operand<TFloat32> finalNorm(Operand<TFloat32> x) {
    return norm(x, "ln_f");
  }

  /** Output layer: {@code x @ wte^T} (tied) or {@code x @ lm_head^T (+ bias)}. */
  Operand<TFloat32> logits(Operand<TFloat32> normalized) {
    if (arch.head().tied()) {
      return tf.linalg.matMul(normalized, p("wte"), MatMul.transposeB(true));
    }
    Operand<TFloat32> out =
        tf.linalg.matMul(normalized, p("lm_head.weight"), MatMul.transposeB(true));
    return arch.head().bias() ? tf.math.add(out, p("lm_head.bias")) : out;
  }

  private Operand<TFloat32> heads(Operand<TFloat32> x, Operand<TInt32> headShape) {
    return tf.linalg.transpose(tf.reshape(x, headShape), tf.constant(new int[] {0, 2, 1, 3}));
  }

  private Operand<TFloat32> linear(Operand<TFloat32> x, String name) {
    Operand<TFloat32> y = tf.linalg.matMul(x, p(name + ".weight"));
    Operand<TFloat32> bias = parameters.get(name + ".bias");
    return bias == null ? y : tf.math.add(y, bias);
  }

  private Operand<TFloat32> mlp(Operand<TFloat32> x, String b) {
    Operand<TFloat32> up = linear(x, b + "mlp.c_fc");
    Operand<TFloat32> hidden =
        switch (arch.mlp().activation()) {
          case GELU -> gelu(up);
          case GELU_TANH -> geluTanh(up);
          case SILU_GATED -> {
            Operand<TFloat32> gate = linear(x, b + "mlp.c_gate");
            yield tf.math.mul(tf.math.mul(gate, tf.math.sigmoid(gate)), up);
          }
        };
    return linear(hidden, b + "mlp.c_proj");
  }

  private Operand<TFloat32> norm(Operand<TFloat32> x, String name) {
    Operand<TInt32> last = tf.constant(-1);
    Operand<TFloat32> epsilon = tf.constant((float) arch.norm().epsilon());
    if (arch.norm().kind() == Architecture.NormKind.RMS_NORM) {
      Operand<TFloat32> meanSquare = tf.math.mean(tf.math.square(x), last, Mean.keepDims(true));
      return tf.math.mul(
          tf.math.mul(x, tf.math.rsqrt(tf.math.add(meanSquare, epsilon))), p(name + ".weight"));
    }
    Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), last, Mean.keepDims(true));
    Operand<TFloat32> normalized =
        tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, epsilon)));
    return tf.math.add(tf.math.mul(normalized, p(name + ".weight")), p(name + ".bias"));
  }

  /** GPT-2's tanh GELU: 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))). */
  private Operand<TFloat32> geluTanh(Operand<TFloat32> z) {
    Operand<TFloat32> cube = tf.math.mul(tf.math.mul(z, z), z);
    Operand<TFloat32> inner =
        tf.math.mul(
            tf.math.add(z, tf.math.mul(cube, tf.constant(0.044715f))),
            tf.constant((float) Math.sqrt(2 / Math.PI)));
    return tf.math.mul(
        tf.math.mul(z, tf.constant(0.5f)), tf.math.add(tf.math.tanh(inner), tf.constant(1f)));
  }

  /** Exact GELU: 0.5·z·(1 + erf(z/√2)). */
  private Operand<TFloat32> gelu(Operand<TFloat32> z) {
    Operand<TFloat32> erf = tf.math.erf(tf.math.mul(z, tf.constant((float) (1 / Math.sqrt(2)))));
    return tf.math.mul(tf.math.mul(z, tf.constant(0.5f)), tf.math.add(erf, tf.constant(1f)));
  }

  private Operand<TFloat32> drop(Operand<TFloat32> x) {
    if (dropout.isEmpty()) return x;
    Dropout d = dropout.get();
    int site = dropoutSites++;
    Operand<TInt64> seed = tf.math.add(d.seed(), tf.constant(new long[] {0, site}));
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(tf.shape(x), seed, TFloat32.class);
    // u in [0, 1): with rate 0 every entry is kept and scaled by exactly 1
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(uniform, d.rate()), TFloat32.class);
    return tf.math.mul(x, tf.math.div(keep, tf.math.sub(tf.constant(1f), d.rate())));
  }
}

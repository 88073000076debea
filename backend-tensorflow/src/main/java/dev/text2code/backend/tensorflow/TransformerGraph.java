package dev.text2code.backend.tensorflow;

import dev.text2code.api.backend.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Operand;
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
  private final Map<String, Operand<TFloat32>> parameters;
  private final Optional<Dropout> dropout;
  private int dropoutSites;

  /**
   * Dropout inputs: the rate (0 in evaluation mode, which makes dropout the identity) and a
   * stateless seed pair, so that masks are a pure function of (seed, step, micro-batch).
   */
  record Dropout(Operand<TFloat32> rate, Operand<TInt64> seed) {}

  /** The keys and values of every layer, {@code [layers, rows, heads, positions, headSize]}. */
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
   * @param mask 1 where query may attend key, else 0: {@code [rows, positions, past + positions]}
   * @param past the cache of earlier positions, if generating incrementally
   * @param applyFinalNorm false to leave {@code ln_f} to the caller (it may select rows first)
   */
  Output forward(
      Operand<TInt32> ids,
      Operand<TInt32> positions,
      Operand<TFloat32> mask,
      Optional<Cache> past,
      boolean applyFinalNorm) {
    int width = spec.width();
    Operand<TInt32> flatIds = tf.reshape(ids, tf.constant(new int[] {-1}));
    Operand<TInt32> flatPositions = tf.reshape(positions, tf.constant(new int[] {-1}));
    Operand<TFloat32> x =
        tf.math.add(
            tf.gather(p("wte"), flatIds, tf.constant(0)),
            tf.gather(p("wpe"), flatPositions, tf.constant(0)));
    x = drop(x);
    Operand<TInt32> dims = tf.shape(ids);
    Operand<TInt32> rows = tf.gather(dims, tf.constant(0), tf.constant(0));
    Operand<TInt32> length = tf.gather(dims, tf.constant(1), tf.constant(0));
    Operand<TInt32> headShape =
        tf.stack(List.of(rows, length, tf.constant(spec.heads()), tf.constant(spec.headSize())));
    // additive form of "s = -1e9 where masked": s*m + (m-1)*1e9 is exactly s or exactly -1e9
    Operand<TFloat32> m = tf.expandDims(mask, tf.constant(1));
    Operand<TFloat32> maskBias = tf.math.mul(tf.math.sub(m, tf.constant(1f)), tf.constant(1e9f));
    List<Operand<TFloat32>> keys = new ArrayList<>();
    List<Operand<TFloat32>> values = new ArrayList<>();
    float scale = (float) (1.0 / Math.sqrt(spec.headSize()));
    for (int layer = 0; layer < spec.layers(); layer++) {
      String b = "h." + layer + ".";
      Operand<TFloat32> a = layerNorm(x, b + "ln_1");
      Operand<TFloat32> qkv = linear(a, b + "attn.c_attn");
      List<org.tensorflow.Output<TFloat32>> parts = tf.split(tf.constant(1), qkv, 3L).output();
      Operand<TFloat32> q = heads(parts.get(0), headShape);
      Operand<TFloat32> k = heads(parts.get(1), headShape);
      Operand<TFloat32> v = heads(parts.get(2), headShape);
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
      Operand<TFloat32> scores =
          tf.math.mul(
              tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
              tf.constant(scale));
      scores = tf.math.add(tf.math.mul(scores, m), maskBias);
      Operand<TFloat32> probabilities = drop(tf.nn.softmax(scores));
      Operand<TFloat32> attended = tf.train.batchMatMul(probabilities, v, TFloat32.class);
      Operand<TFloat32> merged =
          tf.reshape(
              tf.linalg.transpose(attended, tf.constant(new int[] {0, 2, 1, 3})),
              tf.constant(new int[] {-1, width}));
      x = tf.math.add(x, drop(linear(merged, b + "attn.c_proj")));
      Operand<TFloat32> hidden = gelu(linear(layerNorm(x, b + "ln_2"), b + "mlp.c_fc"));
      x = tf.math.add(x, drop(linear(hidden, b + "mlp.c_proj")));
    }
    Operand<TFloat32> out = applyFinalNorm ? layerNorm(x, "ln_f") : x;
    Optional<Cache> cache =
        past.isPresent()
            ? Optional.of(new Cache(tf.stack(keys), tf.stack(values)))
            : Optional.empty();
    return new Output(out, cache);
  }

  /** {@code ln_f} applied to hidden states chosen by the caller. */
  Operand<TFloat32> finalNorm(Operand<TFloat32> x) {
    return layerNorm(x, "ln_f");
  }

  /** Tied output layer: {@code x @ wte^T}, {@code [n, embeddingRows]}. */
  Operand<TFloat32> logits(Operand<TFloat32> normalized) {
    return tf.linalg.matMul(normalized, p("wte"), MatMul.transposeB(true));
  }

  private Operand<TFloat32> heads(Operand<TFloat32> x, Operand<TInt32> headShape) {
    return tf.linalg.transpose(tf.reshape(x, headShape), tf.constant(new int[] {0, 2, 1, 3}));
  }

  private Operand<TFloat32> linear(Operand<TFloat32> x, String name) {
    return tf.math.add(tf.linalg.matMul(x, p(name + ".weight")), p(name + ".bias"));
  }

  private Operand<TFloat32> layerNorm(Operand<TFloat32> x, String name) {
    Operand<TInt32> last = tf.constant(-1);
    Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), last, Mean.keepDims(true));
    Operand<TFloat32> normalized =
        tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-5f))));
    return tf.math.add(tf.math.mul(normalized, p(name + ".weight")), p(name + ".bias"));
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

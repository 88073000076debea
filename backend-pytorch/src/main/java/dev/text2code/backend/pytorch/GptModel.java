package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transformer of docs/MODEL.md written directly with DJL NDArray operations over parameter
 * arrays named as in {@link ParameterLayout}. It owns its parameters (in its own sub-manager) and
 * nothing else: callers own every array it returns, normally through an {@link
 * ai.djl.ndarray.NDScope}.
 *
 * <p>This is also the building block for other tools (ONNX export, inspection): {@link
 * #parameters()} exposes the arrays and {@link #toTensors()} copies them out in canonical form.
 */
public final class GptModel implements AutoCloseable {
  private static final float MASKED_SCORE = -1e9f;

  private final ModelSpec spec;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final Shape widthShape;

  /**
   * The type the forward pass computes in and the parameters are stored in: float32, or float16 /
   * bfloat16 for mixed precision (where the caller keeps float32 master weights elsewhere).
   */
  private final DataType computeType;

  /** sqrt(head size), the attention score divisor, made once (libtorch-owned, see scalar). */
  private final NDArray scoreDivisor;

  private final Architecture arch;
  private final boolean learnedPositions;
  private final boolean rotary;

  /** θ^(−2i/r) for i &lt; r/2, float32 (rotary models only). */
  private final NDArray inverseFrequencies;

  /** Constants of the tanh GELU and the RMSNorm epsilon (libtorch-owned scalars, see scalar). */
  private final NDArray geluCubic;

  private final NDArray geluScale;
  private final NDArray half;
  private final NDArray one;
  private final NDArray normEpsilon;

  private GptModel(
      ModelSpec spec, NDManager manager, Map<String, NDArray> parameters, DataType computeType) {
    this.spec = spec;
    this.computeType = computeType;
    this.manager = manager;
    this.parameters = Collections.unmodifiableMap(parameters);
    this.widthShape = new Shape(spec.width());
    this.scoreDivisor = scalar(manager, Math.sqrt(spec.headSize()));
    ai.djl.ndarray.NDScope.unregister(scoreDivisor); // lives with the model, not a caller's scope
    this.arch = spec.architecture();
    this.learnedPositions = arch.positions().kind() == Architecture.PositionKind.LEARNED;
    this.rotary = !learnedPositions;
    if (rotary) {
      int r = spec.rotaryDims();
      float[] inverse = new float[r / 2];
      for (int i = 0; i < inverse.length; i++) {
        inverse[i] = (float) (1.0 / Math.pow(arch.positions().rotaryBase(), 2.0 * i / r));
      }
      this.inverseFrequencies = manager.create(inverse);
      ai.djl.ndarray.NDScope.unregister(inverseFrequencies);
    } else {
      this.inverseFrequencies = null;
    }
    this.geluCubic = owned(manager, 0.044715);
    this.geluScale = owned(manager, Math.sqrt(2 / Math.PI));
    this.half = owned(manager, 0.5);
    this.one = owned(manager, 1);
    this.normEpsilon = owned(manager, arch.norm().epsilon());
  }

  private static NDArray owned(NDManager manager, double value) {
    NDArray s = scalar(manager, value);
    ai.djl.ndarray.NDScope.unregister(s);
    return s;
  }

  /**
   * Copies canonical weights onto the device of {@code parent}; the model's arrays live in a new
   * sub-manager that {@link #close()} releases.
   *
   * @param trainable attach gradients to every parameter
   */
  public static GptModel load(
      ModelSpec spec, Map<String, Tensor> weights, NDManager parent, boolean trainable) {
    return load(spec, weights, parent, trainable, DataType.FLOAT32);
  }

  /**
   * Like {@link #load(ModelSpec, Map, NDManager, boolean)}, computing in {@code computeType}
   * (FLOAT32, BFLOAT16 or FLOAT16): the parameters are stored in that type (cast on the way in;
   * trainable ones are then 16-bit leaves whose gradients are 16-bit too).
   */
  public static GptModel load(
      ModelSpec spec,
      Map<String, Tensor> weights,
      NDManager parent,
      boolean trainable,
      DataType computeType) {
    Map<String, Tensor> checked = ParameterLayout.checkComplete(spec, weights, "model weights");
    NDManager manager = parent.newSubManager();
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    try {
      for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
        Tensor t = checked.get(p.name());
        NDArray array = manager.create(FloatBuffer.wrap(t.data()), new Shape(t.shape()));
        if (computeType != DataType.FLOAT32) {
          NDArray cast = array.toType(computeType, false);
          array.close();
          array = cast;
        }
        array.setName(p.name());
        if (trainable) array.setRequiresGradient(true);
        arrays.put(p.name(), array);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new GptModel(spec, manager, arrays, computeType);
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The manager that owns the parameters (and on whose device the model computes). */
  public NDManager manager() {
    return manager;
  }

  /** The parameter arrays by canonical name, in canonical order. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  public NDArray parameter(String name) {
    NDArray a = parameters.get(name);
    if (a == null) throw new IllegalArgumentException("no parameter " + name);
    return a;
  }

  /** Copies the parameters to host memory with their canonical names and shapes. */
  public List<Tensor> toTensors() {
    List<Tensor> out = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray a = e.getValue();
      float[] data =
          a.getDataType() == DataType.FLOAT32
              ? a.toFloatArray()
              : floats(a.toType(DataType.FLOAT32, false));
      out.add(new Tensor(e.getKey(), a.getShape().getShape(), data));
    }
    return out;
  }

  /**
   * The final hidden states (after {@code ln_f}) for a batch of rows.
   *
   * @param inputIds {@code [B, T]} int64 embedding rows
   * @param positionIds {@code [B, T]} int64
   * @param attentionBias {@code [B, 1, T, T]} float32: 0 where a query may attend to a key, -1e9
   *     where not (see {@link AttentionMasks})
   * @param training apply dropout
   */
  public NDArray hidden(
      NDArray inputIds, NDArray positionIds, NDArray attentionBias, boolean training) {
    return run(inputIds, positionIds, attentionBias, null, training);
  }

  /**
   * Like {@link #hidden} for {@code S} new positions that follow what {@code cache} holds: the keys
   * and values of the new positions are appended to the cache.
   *
   * @param attentionBias {@code [B, 1, S, past + S]}, or null when every query sees every key (one
   *     new position per row and no padding)
   */
  public NDArray hiddenWithCache(
      NDArray inputIds, NDArray positionIds, NDArray attentionBias, KvCache cache) {
    return run(inputIds, positionIds, attentionBias, cache, false);
  }

  /**
   * Scores of every embedding row: {@code [..., W] -> [..., rows]}, through the embedding (tied) or
   * {@code lm_head.weight} (+ {@code lm_head.bias}).
   */
  public NDArray logits(NDArray hidden) {
    NDArray head = parameter(arch.head().tied() ? "wte" : "lm_head.weight");
    NDArray scores = hidden.matMul(head.transpose());
    return arch.head().bias() ? scores.add(parameter("lm_head.bias")) : scores;
  }

  /** The type the forward pass computes in (hidden states and logits come out in it). */
  public DataType computeType() {
    return computeType;
  }

  private static float[] floats(NDArray array) {
    try (array) {
      return array.toFloatArray();
    }
  }

  private NDArray run(
      NDArray inputIds,
      NDArray positionIds,
      NDArray attentionBias,
      KvCache cache,
      boolean training) {
    float dropout = training ? (float) spec.dropout() : 0f;
    NDArray x = rows(parameter("wte"), inputIds);
    if (learnedPositions) x = x.add(rows(parameter("wpe"), positionIds));
    NDArray causal = inComputeType(attentionBias);
    x = dropout(x, dropout);
    long queries = inputIds.getShape().get(1);
    long keys = (cache == null ? 0 : cache.length()) + queries;
    NDArray[] rotation = rotary ? rotation(positionIds) : null;
    Map<Integer, NDArray> biases = new HashMap<>();
    for (int layer = 0; layer < spec.layers(); layer++) {
      int window = arch.attention().windowOf(layer);
      if (window != 0) biases.computeIfAbsent(window, w -> withWindow(causal, w, queries, keys));
    }
    for (int layer = 0; layer < spec.layers(); layer++) {
      String b = "h." + layer + ".";
      int window = arch.attention().windowOf(layer);
      NDArray bias = window == 0 ? causal : biases.get(window);
      NDArray in = x;
      // each block's intermediates are released when it ends (autograd keeps what backward needs):
      // held by the caller's scope until the whole pass ended, a GPT-2-small training step at
      // 2 x 512 kept every layer's attention scores and MLP activations alive at once
      try (NDScope block = new NDScope()) {
        NDArray a = norm(in, b + "ln_1");
        NDArray attention =
            dropout(selfAttention(a, b, layer, rotation, bias, cache, dropout), dropout);
        switch (arch.residual()) {
          case SEQUENTIAL -> {
            x = in.add(attention);
            x = x.add(dropout(mlp(norm(x, b + "ln_2"), b), dropout));
          }
          case PARALLEL_SHARED_NORM -> x = in.add(attention).add(dropout(mlp(a, b), dropout));
          case PARALLEL_TWO_NORMS ->
              x = in.add(attention).add(dropout(mlp(norm(in, b + "ln_2"), b), dropout));
        }
        NDScope.unregister(x);
      }
      NDScope.register(x); // the block's output belongs to the caller's scope
      if (layer > 0) in.close(); // the previous block's output (the first input is the caller's)
    }
    NDArray f = norm(x, "ln_f");
    if (arch.topQueryLayer()) f = topQueryLayer(f, positionIds, causal, cache, dropout);
    if (cache != null) cache.advance(queries);
    return f;
  }

  /** One block's attention output (before the residual add), {@code [B, T, W]}. */
  private NDArray selfAttention(
      NDArray a,
      String b,
      int layer,
      NDArray[] rotation,
      NDArray bias,
      KvCache cache,
      float dropout) {
    Shape shape = a.getShape();
    long rows = shape.get(0);
    long t = shape.get(1);
    int heads = spec.heads();
    int kvHeads = spec.kvHeads();
    long d = spec.headSize();
    NDArray q;
    NDArray k;
    NDArray v;
    if (arch.attention().fusedQkv()) {
      NDList parts =
          linear(a, b + "attn.c_attn").split(new long[] {heads * d, (heads + kvHeads) * d}, 2);
      q = parts.get(0);
      k = parts.get(1);
      v = parts.get(2);
    } else {
      q = linear(a, b + "attn.q_proj");
      k = linear(a, b + "attn.k_proj");
      v = linear(a, b + "attn.v_proj");
    }
    q = heads(q, rows, t, heads, d);
    k = heads(k, rows, t, kvHeads, d);
    v = heads(v, rows, t, kvHeads, d);
    if (rotation != null) {
      q = rotate(q, rotation);
      k = rotate(k, rotation);
    }
    if (cache != null) {
      k = cache.append(layer, 0, k);
      v = cache.append(layer, 1, v);
    }
    NDArray o = attend(q, k, v, bias, dropout);
    return linear(o.transpose(0, 2, 1, 3).reshape(rows, t, heads * d), b + "attn.c_proj");
  }

  /** softmax(q kᵀ [/ √D] + bias) v over {@code [B, H, T, D]} queries and KV-head keys/values. */
  private NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias, float dropout) {
    long heads = q.getShape().get(1);
    long kvHeads = k.getShape().get(1);
    if (kvHeads != heads) {
      k = shareHeads(k, heads / kvHeads);
      v = shareHeads(v, heads / kvHeads);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    if (arch.attention().scaled()) scores = scores.div(scoreDivisor);
    if (bias != null) scores = scores.add(bias);
    return dropout(scores.softmax(-1), dropout).matMul(v);
  }

  /** {@code [B, KV, S, D] -> [B, KV·g, S, D]}: consecutive query heads share a kv head. */
  private static NDArray shareHeads(NDArray x, long group) {
    Shape s = x.getShape();
    return x.expandDims(2)
        .broadcast(new Shape(s.get(0), s.get(1), group, s.get(2), s.get(3)))
        .reshape(s.get(0), s.get(1) * group, s.get(2), s.get(3));
  }

  /**
   * PanGu-α's extra block: its query is a learned embedding of the position, keys and values come
   * from the normalised trunk output; global attention (cached after the trunk's layers).
   */
  private NDArray topQueryLayer(
      NDArray f, NDArray positionIds, NDArray bias, KvCache cache, float dropout) {
    Shape shape = f.getShape();
    long rows = shape.get(0);
    long t = shape.get(1);
    int heads = spec.heads();
    long d = spec.headSize();
    long w = spec.width();
    NDArray q =
        heads(
            linear(rows(parameter("top_query_embedding"), positionIds), "top.attn.q_proj"),
            rows,
            t,
            heads,
            d);
    NDList kv = linear(norm(f, "top.ln_1"), "top.attn.c_attn").split(new long[] {w}, 2);
    NDArray k = heads(kv.get(0), rows, t, heads, d);
    NDArray v = heads(kv.get(1), rows, t, heads, d);
    if (cache != null) {
      k = cache.append(spec.layers(), 0, k);
      v = cache.append(spec.layers(), 1, v);
    }
    NDArray o = attend(q, k, v, bias, dropout).transpose(0, 2, 1, 3).reshape(rows, t, w);
    f = f.add(dropout(linear(o, "top.attn.c_proj"), dropout));
    return f.add(dropout(mlp(norm(f, "top.ln_2"), "top."), dropout));
  }

  private NDArray mlp(NDArray m, String b) {
    NDArray up = linear(m, b + "mlp.c_fc");
    NDArray act =
        switch (arch.mlp().activation()) {
          case GELU -> Activation.gelu(up);
          case GELU_TANH -> geluTanh(up);
          case SILU_GATED -> {
            NDArray gate = linear(m, b + "mlp.c_gate");
            yield gate.mul(Activation.sigmoid(gate)).mul(up);
          }
        };
    return linear(act, b + "mlp.c_proj");
  }

  /** 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))). */
  private NDArray geluTanh(NDArray z) {
    NDArray inner = z.mul(z).mul(z).mul(geluCubic).add(z).mul(geluScale);
    return z.mul(half).mul(inner.tanh().add(one));
  }

  /** cos and sin {@code [B, 1, T, r/2]} of every row's positions (in the compute type). */
  private NDArray[] rotation(NDArray positionIds) {
    NDArray angles =
        positionIds.toType(DataType.FLOAT32, false).expandDims(-1).mul(inverseFrequencies);
    angles = angles.expandDims(1);
    NDArray cos = angles.cos();
    NDArray sin = angles.sin();
    if (computeType != DataType.FLOAT32) {
      cos = cos.toType(computeType, false);
      sin = sin.toType(computeType, false);
    }
    return new NDArray[] {cos, sin};
  }

  /** Rotary embedding of the first r dims of every head of {@code [B, H, T, D]}. */
  private NDArray rotate(NDArray x, NDArray[] rotation) {
    Shape s = x.getShape();
    long d = s.get(3);
    long r = spec.rotaryDims();
    long halfR = r / 2;
    NDArray cos = rotation[0];
    NDArray sin = rotation[1];
    NDArray rotated;
    if (arch.positions().pairing() == Architecture.RotaryPairing.HALF) {
      NDArray first = x.get(lastDims(0, halfR));
      NDArray second = x.get(lastDims(halfR, r));
      rotated = first.mul(cos).sub(second.mul(sin)).concat(second.mul(cos).add(first.mul(sin)), 3);
    } else {
      NDArray pairs =
          (r == d ? x : x.get(lastDims(0, r))).reshape(s.get(0), s.get(1), s.get(2), halfR, 2);
      NDArray first = pairs.get(pairIndex(0));
      NDArray second = pairs.get(pairIndex(1));
      rotated =
          first
              .mul(cos)
              .sub(second.mul(sin))
              .stack(second.mul(cos).add(first.mul(sin)), 4)
              .reshape(s.get(0), s.get(1), s.get(2), r);
    }
    return r == d ? rotated : rotated.concat(x.get(lastDims(r, d)), 3);
  }

  private static NDIndex lastDims(long from, long to) {
    return new NDIndex().addAllDim(3).addSliceDim(from, to);
  }

  private static NDIndex pairIndex(long which) {
    return new NDIndex().addAllDim(4).addIndices(which);
  }

  /**
   * {@code bias} plus a local window: the {@code queries} queries are the last of {@code keys}
   * sequence indices, and query i sees keys j with i − w &lt; j.
   */
  private NDArray withWindow(NDArray bias, int window, long queries, long keys) {
    int s = (int) queries;
    int k = (int) keys;
    float[] mask = new float[s * k];
    for (int qi = 0; qi < s; qi++) {
      int q = k - s + qi;
      for (int j = 0; j < k; j++) if (q - j >= window) mask[qi * k + j] = MASKED_SCORE;
    }
    NDArray windowBias = inComputeType(manager.create(mask, new Shape(1, 1, s, k)));
    return bias == null ? windowBias : bias.add(windowBias);
  }

  /** An additive bias in the compute type (float16 cannot hold -1e9: clipped, softmax still 0). */
  private NDArray inComputeType(NDArray bias) {
    if (bias == null || bias.getDataType() == computeType) return bias;
    if (computeType == DataType.FLOAT16) bias = bias.clip(-60000f, 0f);
    return bias.toType(computeType, false);
  }

  /**
   * {@code table[indices]}: rows of a matrix gathered by int64 indices of any shape, differentiable
   * with respect to the table (torch's embedding lookup: one native call, no index parsing).
   */
  public static NDArray rows(NDArray table, NDArray indices) {
    return JniUtils.embedding((PtNDArray) indices, (PtNDArray) table, false);
  }

  private static NDArray heads(NDArray x, long rows, long t, int heads, long d) {
    return x.reshape(rows, t, heads, d).transpose(0, 2, 1, 3);
  }

  /** {@code x @ W [+ b]} for a weight stored {@code [in, out]}, fused (torch's linear/addmm). */
  private NDArray linear(NDArray x, String name) {
    NDArray bias = parameters.get(name + ".bias");
    NDArray weight = parameter(name + ".weight");
    if (bias == null) return x.matMul(weight);
    return JniUtils.linear((PtNDArray) x, (PtNDArray) weight.transpose(), (PtNDArray) bias);
  }

  private NDArray norm(NDArray x, String name) {
    if (arch.norm().kind() == Architecture.NormKind.LAYER_NORM) {
      return LayerNorm.layerNorm(
              x,
              widthShape,
              parameter(name + ".weight"),
              parameter(name + ".bias"),
              (float) arch.norm().epsilon())
          .singletonOrThrow();
    }
    NDArray meanSquare = x.mul(x).mean(new int[] {-1}, true);
    return x.div(meanSquare.add(normEpsilon).sqrt()).mul(parameter(name + ".weight"));
  }

  private static NDArray dropout(NDArray x, float rate) {
    return rate > 0 ? Dropout.dropout(x, rate, true).singletonOrThrow() : x;
  }

  /**
   * A float32 scalar whose memory libtorch allocates and owns. Use it instead of DJL's {@code
   * div(Number)}, {@code mul(Number)}: those wrap the number in an array backed by a Java direct
   * buffer and close it as soon as the operation returns, yet autograd keeps that scalar for the
   * backward pass (a quotient's gradient divides by it). Once the JVM collects the buffer, backward
   * reads freed memory: gradients turn NaN at random while the loss stays finite (issue #5).
   */
  static NDArray scalar(NDManager manager, double value) {
    return manager.full(new Shape(), (float) value, DataType.FLOAT32);
  }

  /** The additive score bias for a masked attention pair. */
  static float maskedScore() {
    return MASKED_SCORE;
  }

  /** Zero moments shaped like every parameter, in canonical order. */
  Map<String, NDArray> zerosLikeParameters() {
    Map<String, NDArray> zeros = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      zeros.put(e.getKey(), manager.zeros(e.getValue().getShape(), DataType.FLOAT32));
    }
    return zeros;
  }

  /** Float arrays on this model's device from host tensors (for optimizer state). */
  NDArray create(Tensor tensor) {
    return manager.create(FloatBuffer.wrap(tensor.data()), new Shape(tensor.shape()));
  }

  @Override
  public void close() {
    manager.close();
  }
}

package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
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
  private static final float LAYER_NORM_EPSILON = 1e-5f;
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

  private GptModel(
      ModelSpec spec, NDManager manager, Map<String, NDArray> parameters, DataType computeType) {
    this.spec = spec;
    this.computeType = computeType;
    this.manager = manager;
    this.parameters = Collections.unmodifiableMap(parameters);
    this.widthShape = new Shape(spec.width());
    this.scoreDivisor = scalar(manager, Math.sqrt(spec.headSize()));
    ai.djl.ndarray.NDScope.unregister(scoreDivisor); // lives with the model, not a caller's scope
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

  /** Scores of every embedding row (the output layer is tied): {@code [..., W] -> [..., rows]}. */
  public NDArray logits(NDArray hidden) {
    return hidden.matMul(parameter("wte").transpose());
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
    NDArray x = rows(parameter("wte"), inputIds).add(rows(parameter("wpe"), positionIds));
    if (attentionBias != null && attentionBias.getDataType() != computeType) {
      // float16 cannot hold -1e9: clip masked scores to a value it can (softmax still gives 0)
      if (computeType == DataType.FLOAT16) attentionBias = attentionBias.clip(-60000f, 0f);
      attentionBias = attentionBias.toType(computeType, false);
    }
    x = dropout(x, dropout);
    int heads = spec.heads();
    long d = spec.headSize();
    for (int layer = 0; layer < spec.layers(); layer++) {
      String b = "h." + layer + ".";
      Shape shape = x.getShape();
      long rows = shape.get(0);
      long t = shape.get(1);
      NDArray a = layerNorm(x, b + "ln_1");
      NDArray qkv = linear(a, b + "attn.c_attn");
      NDList parts = qkv.split(3, 2);
      NDArray q = heads(parts.get(0), rows, t, heads, d);
      NDArray k = heads(parts.get(1), rows, t, heads, d);
      NDArray v = heads(parts.get(2), rows, t, heads, d);
      if (cache != null) {
        k = cache.append(layer, 0, k);
        v = cache.append(layer, 1, v);
      }
      NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(scoreDivisor);
      if (attentionBias != null) scores = scores.add(attentionBias);
      NDArray p = dropout(scores.softmax(-1), dropout);
      NDArray o = p.matMul(v).transpose(0, 2, 1, 3).reshape(rows, t, spec.width());
      x = x.add(dropout(linear(o, b + "attn.c_proj"), dropout));
      NDArray m = Activation.gelu(linear(layerNorm(x, b + "ln_2"), b + "mlp.c_fc"));
      x = x.add(dropout(linear(m, b + "mlp.c_proj"), dropout));
    }
    if (cache != null) cache.advance(inputIds.getShape().get(1));
    return layerNorm(x, "ln_f");
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

  /** {@code x @ W + b} for a weight stored {@code [in, out]}, fused (torch's linear/addmm). */
  private NDArray linear(NDArray x, String name) {
    return JniUtils.linear(
        (PtNDArray) x,
        (PtNDArray) parameter(name + ".weight").transpose(),
        (PtNDArray) parameter(name + ".bias"));
  }

  private NDArray layerNorm(NDArray x, String name) {
    return LayerNorm.layerNorm(
            x,
            widthShape,
            parameter(name + ".weight"),
            parameter(name + ".bias"),
            LAYER_NORM_EPSILON)
        .singletonOrThrow();
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

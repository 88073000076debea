package dev.text2code.api.checkpoint;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The canonical parameters of the model every backend implements (docs/MODEL.md), their shapes, and
 * a deterministic initialisation computed in Java, so that the same seed gives bit-identical
 * initial weights on every backend.
 *
 * <p>Linear weights are stored {@code [in, out]} (the layer computes {@code x @ W + b}).
 */
public final class ParameterLayout {
  private ParameterLayout() {}

  /**
   * One parameter: its canonical name and shape, and whether AdamW decays it (rank-2 weights only).
   */
  public record Parameter(String name, long[] shape) {
    public boolean decayed() {
      return shape.length == 2;
    }

    public int size() {
      long n = 1;
      for (long d : shape) n *= d;
      return Math.toIntExact(n);
    }
  }

  /**
   * Every parameter in canonical order (docs/MODEL.md): {@code wte}, {@code wpe} (learned
   * positions), the blocks {@code h.N.*}, the final norm {@code ln_f}, PanGu-α's {@code
   * top_query_embedding} and {@code top.*}, then an untied {@code lm_head}. Norms have a bias only
   * when they are LayerNorms; {@code ln_2} is absent with one shared norm; a SiLU-gated MLP adds
   * {@code mlp.c_gate}.
   */
  public static List<Parameter> parameters(ModelSpec spec) {
    Architecture arch = spec.architecture();
    long w = spec.width();
    long q = (long) spec.heads() * spec.headSize();
    long kv = (long) spec.kvHeads() * spec.headSize();
    long inner = spec.mlpInner();
    List<Parameter> p = new ArrayList<>();
    p.add(new Parameter("wte", new long[] {spec.embeddingRows(), w}));
    if (arch.positions().kind() == Architecture.PositionKind.LEARNED) {
      p.add(new Parameter("wpe", new long[] {spec.contextLength(), w}));
    }
    for (int i = 0; i < spec.layers(); i++) {
      String b = "h." + i + ".";
      norm(p, arch, b + "ln_1", w);
      Architecture.Attention a = arch.attention();
      if (a.fusedQkv()) {
        linear(p, b + "attn.c_attn", w, q + 2 * kv, a.qkvBias());
      } else {
        linear(p, b + "attn.q_proj", w, q, a.qkvBias());
        linear(p, b + "attn.k_proj", w, kv, a.qkvBias());
        linear(p, b + "attn.v_proj", w, kv, a.qkvBias());
      }
      linear(p, b + "attn.c_proj", q, w, a.projectionBias());
      if (arch.residual() != Architecture.Residual.PARALLEL_SHARED_NORM) {
        norm(p, arch, b + "ln_2", w);
      }
      mlp(p, arch, b, w, inner);
    }
    norm(p, arch, "ln_f", w);
    if (arch.topQueryLayer()) {
      p.add(new Parameter("top_query_embedding", new long[] {spec.contextLength(), w}));
      norm(p, arch, "top.ln_1", w);
      linear(p, "top.attn.q_proj", w, w, arch.attention().qkvBias());
      linear(p, "top.attn.c_attn", w, 2 * w, arch.attention().qkvBias());
      linear(p, "top.attn.c_proj", w, w, arch.attention().projectionBias());
      norm(p, arch, "top.ln_2", w);
      mlp(p, arch, "top.", w, inner);
    }
    if (!arch.head().tied()) {
      p.add(new Parameter("lm_head.weight", new long[] {spec.embeddingRows(), w}));
    }
    if (arch.head().bias()) {
      p.add(new Parameter("lm_head.bias", new long[] {spec.embeddingRows()}));
    }
    return p;
  }

  private static void norm(List<Parameter> p, Architecture arch, String name, long w) {
    p.add(new Parameter(name + ".weight", new long[] {w}));
    if (arch.norm().kind() == Architecture.NormKind.LAYER_NORM) {
      p.add(new Parameter(name + ".bias", new long[] {w}));
    }
  }

  private static void linear(List<Parameter> p, String name, long in, long out, boolean bias) {
    p.add(new Parameter(name + ".weight", new long[] {in, out}));
    if (bias) p.add(new Parameter(name + ".bias", new long[] {out}));
  }

  private static void mlp(List<Parameter> p, Architecture arch, String b, long w, long inner) {
    boolean bias = arch.mlp().bias();
    linear(p, b + "mlp.c_fc", w, inner, bias);
    if (arch.mlp().activation() == Architecture.Activation.SILU_GATED) {
      linear(p, b + "mlp.c_gate", w, inner, bias);
    }
    linear(p, b + "mlp.c_proj", inner, w, bias);
  }

  /**
   * Initial weights: normal(0, 0.02) for weights, 0.02/sqrt(2·layers) for the residual projections
   * ({@code c_proj}), zeros for biases, ones for LayerNorm gains; replicated embedding rows start
   * as copies of their originals. Each parameter draws from its own stream, derived from the seed
   * and its name.
   */
  public static List<Tensor> initialize(ModelSpec spec, ModalityRouter router, long seed) {
    if (router.embeddingRows() != spec.embeddingRows()) {
      throw new IllegalArgumentException(
          "router has "
              + router.embeddingRows()
              + " embedding rows but the model spec has "
              + spec.embeddingRows());
    }
    List<Tensor> tensors = new ArrayList<>();
    double residualStd = 0.02 / Math.sqrt(2.0 * spec.layers());
    for (Parameter p : parameters(spec)) {
      float[] data = new float[p.size()];
      String n = p.name();
      if (n.endsWith(".bias")) {
        // zeros
      } else if (n.startsWith("ln") || n.contains("ln_")) {
        java.util.Arrays.fill(data, 1f);
      } else {
        double std = n.endsWith("c_proj.weight") ? residualStd : 0.02;
        SplittableRandom random = new SplittableRandom(seed ^ (n.hashCode() * 0x9E3779B97F4A7C15L));
        fillNormal(data, std, random);
      }
      if (n.equals("wte") || n.equals("lm_head.weight")) {
        int width = spec.width();
        for (Map.Entry<Integer, Integer> e : router.replicatedRows().entrySet()) {
          System.arraycopy(data, e.getKey() * width, data, e.getValue() * width, width);
        }
      }
      tensors.add(new Tensor(n, p.shape(), data));
    }
    return tensors;
  }

  /** Box–Muller with {@link SplittableRandom#nextDouble()}: the same numbers on every JVM. */
  private static void fillNormal(float[] data, double std, SplittableRandom random) {
    for (int i = 0; i < data.length; i += 2) {
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      double r = Math.sqrt(-2.0 * Math.log(u1));
      data[i] = (float) (std * r * Math.cos(2 * Math.PI * u2));
      if (i + 1 < data.length) data[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * u2));
    }
  }

  /** Checks that a set of tensors matches the layout exactly (names and shapes). */
  public static Map<String, Tensor> checkComplete(
      ModelSpec spec, Map<String, Tensor> tensors, String where) {
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    for (Parameter p : parameters(spec)) {
      Tensor t = tensors.get(p.name());
      if (t == null) {
        throw new dev.text2code.api.CheckpointException(
            where + ": parameter " + p.name() + " is missing");
      }
      if (!java.util.Arrays.equals(t.shape(), p.shape())) {
        throw new dev.text2code.api.CheckpointException(
            where
                + ": parameter "
                + p.name()
                + " has shape "
                + java.util.Arrays.toString(t.shape())
                + " but the model spec needs "
                + java.util.Arrays.toString(p.shape()));
      }
      ordered.put(p.name(), t);
    }
    return ordered;
  }
}

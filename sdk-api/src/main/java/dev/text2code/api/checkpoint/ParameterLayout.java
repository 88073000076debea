package dev.text2code.api.checkpoint;

import dev.text2code.api.ModalityRouter;
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

  /** Every parameter in canonical order. */
  public static List<Parameter> parameters(ModelSpec spec) {
    long w = spec.width();
    List<Parameter> p = new ArrayList<>();
    p.add(new Parameter("wte", new long[] {spec.embeddingRows(), w}));
    p.add(new Parameter("wpe", new long[] {spec.contextLength(), w}));
    for (int i = 0; i < spec.layers(); i++) {
      String b = "h." + i + ".";
      p.add(new Parameter(b + "ln_1.weight", new long[] {w}));
      p.add(new Parameter(b + "ln_1.bias", new long[] {w}));
      p.add(new Parameter(b + "attn.c_attn.weight", new long[] {w, 3 * w}));
      p.add(new Parameter(b + "attn.c_attn.bias", new long[] {3 * w}));
      p.add(new Parameter(b + "attn.c_proj.weight", new long[] {w, w}));
      p.add(new Parameter(b + "attn.c_proj.bias", new long[] {w}));
      p.add(new Parameter(b + "ln_2.weight", new long[] {w}));
      p.add(new Parameter(b + "ln_2.bias", new long[] {w}));
      p.add(new Parameter(b + "mlp.c_fc.weight", new long[] {w, 4 * w}));
      p.add(new Parameter(b + "mlp.c_fc.bias", new long[] {4 * w}));
      p.add(new Parameter(b + "mlp.c_proj.weight", new long[] {4 * w, w}));
      p.add(new Parameter(b + "mlp.c_proj.bias", new long[] {w}));
    }
    p.add(new Parameter("ln_f.weight", new long[] {w}));
    p.add(new Parameter("ln_f.bias", new long[] {w}));
    return p;
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
      } else if (n.startsWith("ln") || n.contains(".ln_")) {
        java.util.Arrays.fill(data, 1f);
      } else {
        double std = n.endsWith("c_proj.weight") ? residualStd : 0.02;
        SplittableRandom random = new SplittableRandom(seed ^ (n.hashCode() * 0x9E3779B97F4A7C15L));
        fillNormal(data, std, random);
      }
      if (n.equals("wte")) {
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

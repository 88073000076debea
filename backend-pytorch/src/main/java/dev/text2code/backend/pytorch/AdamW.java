package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with PyTorch semantics (docs/MODEL.md, Optimisation), applied in place to the parameters of
 * a {@link GptModel}; decoupled weight decay only on rank-2 parameters. Moments persist as {@code
 * adam.m.NAME} and {@code adam.v.NAME}.
 */
final class AdamW {
  static final String FIRST_MOMENT = "adam.m.";
  static final String SECOND_MOMENT = "adam.v.";

  private final GptModel model;
  private final TrainingConfig config;
  private final Map<String, NDArray> first;
  private final Map<String, NDArray> second;
  private final Map<String, Boolean> decayed = new LinkedHashMap<>();

  AdamW(GptModel model, TrainingConfig config) {
    this(model, config, model.zerosLikeParameters(), model.zerosLikeParameters());
  }

  private AdamW(
      GptModel model,
      TrainingConfig config,
      Map<String, NDArray> first,
      Map<String, NDArray> second) {
    this.model = model;
    this.config = config;
    this.first = first;
    this.second = second;
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(model.spec())) {
      decayed.put(p.name(), p.decayed());
    }
  }

  static AdamW restore(GptModel model, TrainingConfig config, Map<String, Tensor> moments) {
    Map<String, NDArray> first = new LinkedHashMap<>();
    Map<String, NDArray> second = new LinkedHashMap<>();
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(model.spec())) {
      first.put(p.name(), model.create(moment(moments, FIRST_MOMENT + p.name(), p)));
      second.put(p.name(), model.create(moment(moments, SECOND_MOMENT + p.name(), p)));
    }
    return new AdamW(model, config, first, second);
  }

  private static Tensor moment(
      Map<String, Tensor> moments, String name, ParameterLayout.Parameter p) {
    Tensor t = moments.get(name);
    if (t == null) throw new CheckpointException("optimizer state " + name + " is missing");
    if (!java.util.Arrays.equals(t.shape(), p.shape())) {
      throw new CheckpointException(
          "optimizer state "
              + name
              + " has shape "
              + java.util.Arrays.toString(t.shape())
              + " but the parameter has "
              + java.util.Arrays.toString(p.shape()));
    }
    return t;
  }

  /** The global L2 norm of all gradients. */
  double gradientNorm() {
    return gradientNorm(null);
  }

  /**
   * The global L2 norm of {@code gradients} by parameter name (float32 copies of a mixed-precision
   * model's gradients), or of the parameters' own gradients where null.
   */
  double gradientNorm(Map<String, NDArray> gradients) {
    // one scope per parameter: each squared gradient is freed before the next is made (one scope
    // over all of them held a copy of every gradient at once)
    NDArray total = null;
    try {
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        try (NDScope perParameter = new NDScope()) {
          NDArray g = gradients == null ? e.getValue().getGradient() : gradients.get(e.getKey());
          NDArray s = g.square().sum();
          if (total == null) {
            NDScope.unregister(s);
            total = s;
          } else {
            total.addi(s);
          }
        }
      }
      return Math.sqrt(total.getFloat());
    } finally {
      if (total != null) total.close();
    }
  }

  /**
   * One update with the gradients multiplied by {@code gradientScale} (clipping).
   *
   * @param step the 1-based step number t
   */
  void update(double learningRate, double gradientScale, long step) {
    update(learningRate, gradientScale, step, null);
  }

  /**
   * Like {@link #update(double, double, long)} with the gradients given by parameter name (float32
   * copies of a mixed-precision model's gradients), or the parameters' own where null.
   */
  void update(
      double learningRate, double gradientScale, long step, Map<String, NDArray> gradients) {
    double beta1 = config.beta1();
    double beta2 = config.beta2();
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    float decayFactor = (float) (1 - learningRate * config.weightDecay());
    // one scope per parameter: the update's temporaries (about five parameter-sized arrays) are
    // freed before the next parameter's; one scope over the whole model held them all at once
    // (GPT-2-small: ~3 GB more peak RSS)
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      try (NDScope scope = new NDScope()) {
        String name = e.getKey();
        NDArray p = e.getValue();
        NDArray g = gradients == null ? p.getGradient() : gradients.get(name);
        if (gradientScale != 1.0) g = g.mul(gradientScale);
        if (decayed.get(name) && config.weightDecay() > 0) p.muli(decayFactor);
        NDArray m = first.get(name);
        NDArray v = second.get(name);
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.square().muli(1 - beta2));
        NDArray denominator = v.div(correction2).sqrt().addi(config.epsilon());
        p.subi(m.div(correction1).divi(denominator).muli(learningRate));
      }
    }
  }

  /** The moments as host tensors named {@code adam.m.NAME} / {@code adam.v.NAME}. */
  Map<String, Tensor> moments() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String name : first.keySet()) {
      NDArray m = first.get(name);
      NDArray v = second.get(name);
      long[] shape = m.getShape().getShape();
      out.put(FIRST_MOMENT + name, new Tensor(FIRST_MOMENT + name, shape, m.toFloatArray()));
      out.put(SECOND_MOMENT + name, new Tensor(SECOND_MOMENT + name, shape, v.toFloatArray()));
    }
    return out;
  }
}

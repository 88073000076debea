package dev.text2code.runs;

import dev.text2code.api.Separation;
import dev.text2code.api.Settings;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.Placement;
import dev.text2code.api.backend.Precision;
import dev.text2code.api.backend.TrainingConfig;

/**
 * Model and optimisation settings of a run, read from configuration keys {@code model.*} and {@code
 * training.*}.
 */
public final class RunTraining {
  private RunTraining() {}

  public static ModelSpec modelSpec(Settings s, int embeddingRows) {
    return new ModelSpec(
        (int) s.integer("model.layers", 2),
        (int) s.integer("model.heads", 4),
        (int) s.integer("model.width", 128),
        (int) s.integer("model.context", 256),
        embeddingRows,
        Separation.parse(s.string("separation")),
        s.number("model.dropout", 0.0));
  }

  public static TrainingConfig trainingConfig(Settings s) {
    return new TrainingConfig(
        s.integer("seed", 1234),
        (int) s.integer("training.batch-size", 8),
        (int) s.integer("training.gradient-accumulation", 1),
        s.integer("training.max-steps", 300),
        s.number("training.learning-rate", 1e-3),
        s.number("training.min-learning-rate", 1e-4),
        s.integer("training.warmup-steps", 20),
        s.number("training.weight-decay", 0.01),
        s.number("training.beta1", 0.9),
        s.number("training.beta2", 0.95),
        s.number("training.epsilon", 1e-8),
        s.number("training.gradient-clip", 1.0),
        s.integer("training.eval-interval", 50),
        Placement.parse(s.string("device")).device(),
        Placement.parse(s.string("device")).gpuIndex(),
        Precision.parse("training.precision", s.string("training.precision")),
        (int) s.integer("training.data-parallel", 1));
  }
}

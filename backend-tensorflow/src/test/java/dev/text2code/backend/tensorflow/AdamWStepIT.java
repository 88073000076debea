package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.StepResult;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.TrainingExample;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One optimizer step checked by hand: the loss against the Java oracle, the gradients against
 * central finite differences of the oracle's loss, and the new parameters against docs/MODEL.md's
 * clipping and AdamW written out here in double precision. This is the stand-in for cross-backend
 * parity: any backend that passes the same checks takes the same step.
 */
class AdamWStepIT {
  private static final ModelSpec SPEC = ForwardParityIT.SPEC;

  /** Clipping on (norm above 0.05), weight decay large enough to matter, warm-up lr. */
  private static TrainingConfig config(int accumulation) {
    return new TrainingConfig(
        11, 4, accumulation, 20, 3e-3, 1e-4, 5, 0.1, 0.9, 0.95, 1e-8, 0.05, 0, Device.CPU);
  }

  @Test
  void oneStepMatchesTheHandComputedUpdate() {
    List<TrainingExample> batch = ForwardParityIT.batch(4, 12, 21);
    TrainingConfig config = config(1);
    try (TensorFlowTrainingSession session =
        (TensorFlowTrainingSession)
            new TensorFlowBackend().openTraining(SPEC, config, ForwardParityIT.PARTIAL)) {
      session.step(ForwardParityIT.batch(4, 12, 20)); // non-zero moments, t = 2 next
      Map<String, Tensor> before = session.weights();
      float[][] gradients = session.gradients(batch);
      double expectedLoss = Oracle.meanLoss(SPEC, before, ForwardParityIT.PARTIAL, batch);

      // gradients: central differences of the double-precision oracle on sampled coordinates
      List<ParameterLayout.Parameter> layout = ParameterLayout.parameters(SPEC);
      SplittableRandom random = new SplittableRandom(5);
      for (int i = 0; i < layout.size(); i += 3) {
        ParameterLayout.Parameter p = layout.get(i);
        int j = random.nextInt(p.size());
        double numeric =
            Oracle.finiteDifference(SPEC, before, ForwardParityIT.PARTIAL, p.name(), j, batch);
        assertEquals(
            numeric, gradients[i][j], 2e-4 + 1e-2 * Math.abs(numeric), p.name() + "[" + j + "]");
      }

      // AdamW by hand from the moments the session will hold: re-derive them from step 1
      double squares = 0;
      for (float[] g : gradients) for (float v : g) squares += (double) v * v;
      double norm = Math.sqrt(squares);
      assertTrue(norm > config.gradientClip(), "the test must exercise clipping: norm " + norm);
      double clip = config.gradientClip() / (norm + 1e-6);

      Map<String, Tensor> moments = momentsAfterStepOne(batch);
      StepResult result = session.step(batch);
      assertEquals(expectedLoss, result.loss(), 1e-4);
      assertEquals(norm, result.gradientNorm(), 1e-4 * norm);
      assertEquals(config.learningRateAt(1), result.learningRate(), 0);
      assertEquals(2, result.step());

      double lr = config.learningRateAt(1);
      long t = 2;
      Map<String, Tensor> after = session.weights();
      double worst = 0;
      for (int i = 0; i < layout.size(); i++) {
        ParameterLayout.Parameter p = layout.get(i);
        float[] w = before.get(p.name()).data();
        float[] m = moments.get("adam.m." + p.name()).data();
        float[] v = moments.get("adam.v." + p.name()).data();
        float[] actual = after.get(p.name()).data();
        for (int j = 0; j < w.length; j++) {
          double g = gradients[i][j] * clip;
          double param = p.decayed() ? w[j] * (1 - lr * config.weightDecay()) : w[j];
          double mj = config.beta1() * m[j] + (1 - config.beta1()) * g;
          double vj = config.beta2() * v[j] + (1 - config.beta2()) * g * g;
          double mHat = mj / (1 - Math.pow(config.beta1(), t));
          double vHat = vj / (1 - Math.pow(config.beta2(), t));
          double expected = param - lr * mHat / (Math.sqrt(vHat) + config.epsilon());
          worst = Math.max(worst, Math.abs(expected - actual[j]));
        }
      }
      // float32 parameters: the update itself is ~lr = 6e-4, the tolerance 1e-6 is 0.2% of it
      assertTrue(worst < 1e-6, "largest parameter difference " + worst);
    }
  }

  /** The moments after step 1 of an identical session, read back from its checkpoint. */
  private Map<String, Tensor> momentsAfterStepOne(List<TrainingExample> unused) {
    try (TensorFlowTrainingSession twin =
        (TensorFlowTrainingSession)
            new TensorFlowBackend().openTraining(SPEC, config(1), ForwardParityIT.PARTIAL)) {
      twin.step(ForwardParityIT.batch(4, 12, 20));
      java.nio.file.Path dir;
      try {
        dir = java.nio.file.Files.createTempDirectory("adamw").resolve("ckpt");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      twin.save(dir);
      return dev.text2code.api.checkpoint.Checkpoint.read(dir).optimizer();
    }
  }

  @Test
  void accumulatedMicroBatchesTakeTheSameStep() {
    List<TrainingExample> batch = ForwardParityIT.batch(4, 12, 31);
    try (TensorFlowTrainingSession whole =
            (TensorFlowTrainingSession)
                new TensorFlowBackend().openTraining(SPEC, config(1), ForwardParityIT.PARTIAL);
        TensorFlowTrainingSession split =
            (TensorFlowTrainingSession)
                new TensorFlowBackend().openTraining(SPEC, config(2), ForwardParityIT.PARTIAL)) {
      StepResult a = whole.step(batch);
      StepResult b = split.step(batch);
      assertEquals(a.loss(), b.loss(), 1e-6);
      assertEquals(a.gradientNorm(), b.gradientNorm(), 1e-6);
      assertEquals(a.tokens(), b.tokens());
      Map<String, Tensor> wa = whole.weights();
      Map<String, Tensor> wb = split.weights();
      for (String name : wa.keySet()) {
        float[] x = wa.get(name).data();
        float[] y = wb.get(name).data();
        for (int j = 0; j < x.length; j++) assertEquals(x[j], y[j], 1e-6, name);
      }
    }
  }
}

package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.StepResult;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSessionIT {
  @TempDir Path temp;

  /** Dropout on, two micro-batches: the resumed run must redraw exactly the same masks. */
  private static final ModelSpec DROPOUT_SPEC =
      new ModelSpec(2, 2, 16, 32, ContractFixtures.VOCABULARY, Separation.NONE, 0.1);

  private static TrainingConfig config() {
    return new TrainingConfig(9, 4, 2, 6, 2e-3, 1e-4, 2, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
  }

  private static List<TrainingExample> batch(int step) {
    return ContractFixtures.patternBatch(4, 16, 100 + step);
  }

  @Test
  void resumedRunEqualsUninterruptedRun() {
    TensorFlowBackend backend = new TensorFlowBackend();
    List<Double> straight = new ArrayList<>();
    Map<String, Tensor> straightWeights;
    try (TensorFlowTrainingSession s =
        (TensorFlowTrainingSession)
            backend.openTraining(DROPOUT_SPEC, config(), ContractFixtures.identityRouter())) {
      for (int step = 0; step < 6; step++) straight.add(s.step(batch(step)).loss());
      straightWeights = s.weights();
    }
    Path checkpoint = temp.resolve("at-3");
    List<Double> resumed = new ArrayList<>();
    try (TrainingSession s =
        backend.openTraining(DROPOUT_SPEC, config(), ContractFixtures.identityRouter())) {
      for (int step = 0; step < 3; step++) resumed.add(s.step(batch(step)).loss());
      s.save(checkpoint);
    }
    try (TensorFlowTrainingSession s =
        (TensorFlowTrainingSession) backend.resumeTraining(checkpoint, config())) {
      assertEquals(3, s.completedSteps());
      for (int step = 3; step < 6; step++) resumed.add(s.step(batch(step)).loss());
      Map<String, Tensor> weights = s.weights();
      for (String name : straightWeights.keySet()) {
        assertArrayEquals(straightWeights.get(name).data(), weights.get(name).data(), name);
      }
    }
    assertEquals(straight, resumed);
  }

  @Test
  void dropoutIsActiveInTrainingAndOffInEvaluation() {
    List<TrainingExample> b = batch(0);
    try (TrainingSession s =
        new TensorFlowBackend()
            .openTraining(DROPOUT_SPEC, config(), ContractFixtures.identityRouter())) {
      double evaluated = s.evaluate(b);
      assertEquals(evaluated, s.evaluate(b), 0, "evaluation must be deterministic");
      double trained = s.step(b).loss();
      assertNotEquals(evaluated, trained, "the training loss sees dropout");
    }
  }

  @Test
  void checkpointHoldsWeightsMomentsAndConfig() {
    Path dir = temp.resolve("ckpt");
    try (TrainingSession s =
        new TensorFlowBackend()
            .openTraining(DROPOUT_SPEC, config(), ContractFixtures.identityRouter())) {
      s.step(batch(0));
      s.save(dir);
    }
    Checkpoint c = Checkpoint.read(dir);
    assertEquals(1, c.completedSteps());
    assertEquals(Optional.of(config()), c.config());
    assertEquals("tensorflow", c.provenance().backend());
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(DROPOUT_SPEC)) {
      assertTrue(c.optimizer().containsKey("adam.m." + p.name()), p.name());
      assertTrue(c.optimizer().containsKey("adam.v." + p.name()), p.name());
    }
    assertEquals(2 * ParameterLayout.parameters(DROPOUT_SPEC).size(), c.optimizer().size());
  }

  @Test
  void nonFiniteLossStopsTheStepAndUpdatesNothing() {
    ModelSpec spec = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, ContractFixtures.identityRouter(), 1)) {
      float[] data = t.data().clone();
      if (t.name().equals("h.1.mlp.c_fc.weight")) data[5] = Float.POSITIVE_INFINITY;
      weights.put(t.name(), new Tensor(t.name(), t.shape(), data));
    }
    Path dir = temp.resolve("broken");
    new Checkpoint(
            spec,
            MappedRouter.copyOf(ContractFixtures.identityRouter()),
            weights,
            Map.of(),
            Optional.empty(),
            0,
            Map.of(),
            Map.of())
        .write(dir);
    try (TensorFlowTrainingSession s =
        (TensorFlowTrainingSession)
            new TensorFlowBackend().resumeTraining(dir, TrainingConfig.defaults(1, 4, 5))) {
      Text2CodeException e =
          assertThrows(
              Text2CodeException.class, () -> s.step(ContractFixtures.patternBatch(4, 8, 1)));
      assertTrue(
          e.getMessage().contains("step 1") && e.getMessage().contains("not finite"),
          e.getMessage());
      assertEquals(0, s.completedSteps());
      assertArrayEquals(weights.get("wte").data(), s.weights().get("wte").data());
    }
  }

  @Test
  void gpuWithoutOneFailsClearly() {
    assumeFalse(Devices.gpuAvailable(), "this machine has a GPU");
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () ->
                new TensorFlowBackend()
                    .openTraining(
                        ContractFixtures.tinySpec(ContractFixtures.VOCABULARY),
                        TrainingConfig.defaults(1, 4, 5).withDevice(Device.GPU),
                        ContractFixtures.identityRouter()));
    assertTrue(e.getMessage().contains("device = gpu"), e.getMessage());
    // auto falls back to the CPU
    try (TrainingSession s =
        new TensorFlowBackend()
            .openTraining(
                ContractFixtures.tinySpec(ContractFixtures.VOCABULARY),
                TrainingConfig.defaults(1, 4, 5).withDevice(Device.AUTO),
                ContractFixtures.identityRouter())) {
      StepResult r = s.step(ContractFixtures.patternBatch(4, 8, 1));
      assertTrue(Double.isFinite(r.loss()));
    }
  }

  @Test
  void badInputIsNamed() {
    try (TrainingSession s =
        new TensorFlowBackend()
            .openTraining(
                ContractFixtures.tinySpec(ContractFixtures.VOCABULARY),
                TrainingConfig.defaults(1, 4, 5),
                ContractFixtures.identityRouter())) {
      List<TrainingExample> mixed = new ArrayList<>(ContractFixtures.patternBatch(2, 8, 1));
      mixed.addAll(ContractFixtures.patternBatch(2, 6, 1));
      InvalidInputException lengths =
          assertThrows(InvalidInputException.class, () -> s.step(mixed));
      assertTrue(lengths.getMessage().contains("example 2 has 6 positions"), lengths.getMessage());
      TrainingExample outside =
          TrainingExample.causal(new int[] {1, 99}, new int[] {5, -100}, new byte[] {1, 0});
      InvalidInputException id = assertThrows(InvalidInputException.class, () -> s.logits(outside));
      assertTrue(id.getMessage().contains("input id 99"), id.getMessage());
      TrainingExample tooLong = ContractFixtures.patternBatch(1, 40, 1).get(0);
      assertThrows(InvalidInputException.class, () -> s.logits(tooLong));
      assertEquals(0, s.completedSteps());
    }
  }

  @Test
  void evaluationAcceptsMixedLengthsAndWeighsByLabelledPositions() {
    try (TrainingSession s =
        new TensorFlowBackend()
            .openTraining(
                ContractFixtures.tinySpec(ContractFixtures.VOCABULARY),
                TrainingConfig.defaults(1, 2, 5),
                ContractFixtures.identityRouter())) {
      List<TrainingExample> mixed = new ArrayList<>(ContractFixtures.patternBatch(3, 8, 1));
      mixed.addAll(ContractFixtures.patternBatch(2, 14, 2));
      double sum = 0;
      long count = 0;
      for (TrainingExample e : mixed) {
        sum += s.evaluate(List.of(e)) * e.labelledCount();
        count += e.labelledCount();
      }
      assertEquals(sum / count, s.evaluate(mixed), 1e-6);
    }
  }

  @Test
  void resumingAWeightsOnlyCheckpointAfterStepsIsRefused() throws Exception {
    Path dir = temp.resolve("weights-only");
    try (TrainingSession s =
        new TensorFlowBackend()
            .openTraining(DROPOUT_SPEC, config(), ContractFixtures.identityRouter())) {
      s.step(batch(0));
      s.save(dir);
    }
    Files.delete(dir.resolve(Checkpoint.OPTIMIZER_FILE));
    CheckpointException e =
        assertThrows(
            CheckpointException.class, () -> new TensorFlowBackend().resumeTraining(dir, config()));
    assertTrue(e.getMessage().contains("no optimizer state"), e.getMessage());
    assertFalse(e.getMessage().isEmpty());
  }
}

package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Training an imported Hugging Face model of each family on the PyTorch backend. */
class HuggingFaceTrainingIT {
  @TempDir Path temp;

  private static TrainingConfig config(long steps) {
    return new TrainingConfig(
        3, 4, 2, steps, 3e-3, 3e-4, 0, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
  }

  private static List<TrainingExample> batch(long seed) {
    return TinyCorpus.windows(TinyCorpus.TOKENIZER, new IdentityRouter(512), 4, 24, seed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "gpt_neox", "codegen", "gpt_neo", "pangu_alpha", "mistral"})
  void stepsFromTheImportedWeightsLowerTheLossAndResumeExactly(String fixture) {
    Checkpoint imported = HuggingFaceFamiliesIT.imported(fixture);
    TrainingConfig config = config(6);
    List<Double> uninterrupted = new ArrayList<>();
    float[][] expectedLogits;
    TrainingExample probe = batch(1234).get(0);
    List<TrainingExample> same = batch(0);
    try (var session = PyTorchTrainingSession.startingFrom(imported, config)) {
      for (int step = 0; step < 6; step++) uninterrupted.add(session.step(same).loss());
      expectedLogits = session.logits(probe);
    }
    assertTrue(
        uninterrupted.get(5) < uninterrupted.get(0) - 0.1,
        fixture + ": six steps on one batch should lower its loss: " + uninterrupted);
    List<Double> resumed = new ArrayList<>();
    Path checkpoint = temp.resolve(fixture + "-step-3");
    try (var session = PyTorchTrainingSession.startingFrom(imported, config)) {
      for (int step = 0; step < 3; step++) resumed.add(session.step(same).loss());
      session.save(checkpoint);
    }
    try (var session = new PyTorchBackend().resumeTraining(checkpoint, config)) {
      assertEquals(3, session.completedSteps());
      for (int step = 3; step < 6; step++) resumed.add(session.step(same).loss());
      assertEquals(uninterrupted, resumed, fixture);
      float[][] actual = session.logits(probe);
      for (int t = 0; t < actual.length; t++) assertArrayEquals(expectedLogits[t], actual[t], 0f);
    }
  }
}

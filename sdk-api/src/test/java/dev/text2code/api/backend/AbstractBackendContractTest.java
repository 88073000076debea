package dev.text2code.api.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.UnsupportedCapabilityException;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every backend promises. A backend module subclasses this in its tests and supplies
 * the backend; backends without training supply a checkpoint made elsewhere through {@link
 * #checkpointForGeneration(Path)}.
 */
public abstract class AbstractBackendContractTest {
  @TempDir protected Path temp;

  /** A fresh backend instance. */
  protected abstract Backend backend();

  /**
   * A checkpoint of {@link ContractFixtures#tinySpec} for backends that cannot train. The default
   * trains one with this backend.
   */
  protected Path checkpointForGeneration(Path directory) {
    ModelSpec spec = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
    try (TrainingSession session =
        backend()
            .openTraining(
                spec, TrainingConfig.defaults(7, 4, 5), ContractFixtures.identityRouter())) {
      session.step(ContractFixtures.patternBatch(4, 16, 1));
      session.save(directory);
    }
    return directory;
  }

  private boolean can(Capability capability) {
    return backend().capabilities().contains(capability);
  }

  private TrainingSession openTiny(long steps) {
    return backend()
        .openTraining(
            ContractFixtures.tinySpec(ContractFixtures.VOCABULARY),
            TrainingConfig.defaults(42, 4, steps),
            ContractFixtures.identityRouter());
  }

  @Test
  void nameIsAValidConfigurationName() {
    assertTrue(backend().name().matches("[a-z][a-z0-9-]*"), "backend name " + backend().name());
  }

  @Test
  void capabilitiesAreHonestAboutTraining() {
    if (can(Capability.TRAIN)) {
      try (TrainingSession session = openTiny(1)) {
        assertEquals(0, session.completedSteps());
      }
    } else {
      UnsupportedCapabilityException e =
          assertThrows(UnsupportedCapabilityException.class, () -> openTiny(1));
      assertTrue(e.getMessage().contains(backend().name()), e.getMessage());
    }
  }

  @Test
  void stepsLowerTheLossOnAFixedBatch() {
    assumeTrue(can(Capability.TRAIN), "backend cannot train");
    List<TrainingExample> batch = ContractFixtures.patternBatch(4, 16, 3);
    // A learning rate high enough for a 2-layer, width-16 model to fit the pattern within 60 steps.
    TrainingConfig fast =
        new TrainingConfig(42, 4, 1, 60, 1e-2, 1e-3, 5, 0.0, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
    try (TrainingSession session =
        backend()
            .openTraining(
                ContractFixtures.tinySpec(ContractFixtures.VOCABULARY),
                fast,
                ContractFixtures.identityRouter())) {
      double before = session.evaluate(batch);
      StepResult last = null;
      for (int i = 0; i < 60; i++) last = session.step(batch);
      double after = session.evaluate(batch);
      assertEquals(60, last.step());
      assertEquals(60, session.completedSteps());
      assertTrue(Double.isFinite(before) && Double.isFinite(after), before + " -> " + after);
      assertTrue(after < before * 0.8, "loss did not fall enough: " + before + " -> " + after);
    }
  }

  @Test
  void saveAndResumeGiveIdenticalLogits() throws Exception {
    assumeTrue(can(Capability.TRAIN), "backend cannot train");
    List<TrainingExample> batch = ContractFixtures.patternBatch(4, 16, 5);
    Path checkpoint = temp.resolve("checkpoint");
    float[][] expected;
    try (TrainingSession session = openTiny(10)) {
      session.step(batch);
      session.step(batch);
      session.save(checkpoint);
      expected = session.logits(batch.get(0));
    }
    assertTrue(Files.isDirectory(checkpoint), "save wrote no directory");
    try (TrainingSession resumed =
        backend().resumeTraining(checkpoint, TrainingConfig.defaults(42, 4, 10))) {
      assertEquals(2, resumed.completedSteps());
      float[][] actual = resumed.logits(batch.get(0));
      assertEquals(expected.length, actual.length);
      for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], actual[i], 0f);
    }
  }

  @Test
  void closedSessionsRefuseWork() {
    assumeTrue(can(Capability.TRAIN), "backend cannot train");
    TrainingSession session = openTiny(1);
    session.close();
    session.close();
    assertThrows(
        IllegalStateException.class, () -> session.step(ContractFixtures.patternBatch(4, 16, 1)));
  }

  @Test
  void generationIsHonestAndDeterministicWhenGreedy() {
    if (!can(Capability.GENERATE)) {
      assertThrows(
          UnsupportedCapabilityException.class, () -> backend().openGenerator(temp, Device.CPU));
      return;
    }
    Path checkpoint = checkpointForGeneration(temp.resolve("gen"));
    assertFalse(checkpoint.toString().isEmpty());
    // Generation itself needs a tokenizer; backends test it in their own suites. Here: opening and
    // closing.
    try (Generator generator = backend().openGenerator(checkpoint, Device.CPU)) {
      assertEquals(ContractFixtures.VOCABULARY, generator.spec().embeddingRows());
    }
  }

  /**
   * Until a backend implements {@link Architecture}'s switches, it refuses a model that uses them,
   * naming the features, before any native work.
   */
  @Test
  void aNonDefaultArchitectureIsRefusedNamingTheFeature() {
    ModelSpec spec =
        ContractFixtures.tinySpec(ContractFixtures.VOCABULARY)
            .withArchitecture(
                Architecture.TEXT2CODE.withNorm(
                    new Architecture.Norm(Architecture.NormKind.RMS_NORM, 1e-6)));
    Path dir = temp.resolve("rms");
    java.util.Map<String, dev.text2code.api.checkpoint.Tensor> weights =
        new java.util.LinkedHashMap<>();
    for (var t :
        dev.text2code.api.checkpoint.ParameterLayout.initialize(
            spec, ContractFixtures.identityRouter(), 1)) {
      weights.put(t.name(), t);
    }
    new dev.text2code.api.checkpoint.Checkpoint(
            spec,
            dev.text2code.api.MappedRouter.copyOf(ContractFixtures.identityRouter()),
            weights,
            java.util.Map.of(),
            java.util.Optional.empty(),
            0,
            java.util.Map.of(),
            java.util.Map.of())
        .write(dir);
    var e =
        assertThrows(
            UnsupportedCapabilityException.class,
            () -> backend().openGenerator(dir, Device.CPU).close());
    assertTrue(e.getMessage().contains("RMS_NORM"), e.getMessage());
    if (can(Capability.TRAIN)) {
      assertThrows(
          UnsupportedCapabilityException.class,
          () ->
              backend()
                  .openTraining(
                      spec, TrainingConfig.defaults(1, 4, 1), ContractFixtures.identityRouter())
                  .close());
      assertThrows(
          UnsupportedCapabilityException.class,
          () -> backend().resumeTraining(dir, TrainingConfig.defaults(1, 4, 1)).close());
    }
  }
}

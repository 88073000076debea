package dev.text2code.api.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.Modality;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.UnsupportedCapabilityException;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
   * Whether the backend's generator implements every {@link Architecture} (then the refusal test
   * checks that a non-default model generates instead).
   */
  protected boolean generatesEveryArchitecture() {
    return false;
  }

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
  void generationIsHonestAboutItsCapability() {
    if (!can(Capability.GENERATE)) {
      assertThrows(
          UnsupportedCapabilityException.class, () -> backend().openGenerator(temp, Device.CPU));
      return;
    }
    Path checkpoint = checkpointForGeneration(temp.resolve("gen"));
    try (Generator generator = backend().openGenerator(checkpoint, Device.CPU)) {
      assertEquals(ContractFixtures.VOCABULARY, generator.spec().embeddingRows());
    }
  }

  private static final CharTokenizer TOKENIZER =
      CharTokenizer.charactersThenSpecials(
          CharTokenizer.SMALL_ALPHABET, List.of("<pad>", "<eot>", "<a>", "<b>", "<c>"));

  private static final List<TokenSequence> PROMPTS =
      List.of(
          TokenSequence.uniform(new int[] {1, 4, 7, 10}, Modality.CODE),
          TokenSequence.uniform(new int[] {20, 2}, Modality.CODE),
          TokenSequence.uniform(new int[] {5, 8, 11, 14, 17, 20, 23}, Modality.CODE));

  private static GenerationConfig sampled(long seed) {
    return new GenerationConfig(12, true, 1.5, 20, 0.95, 3, List.of(), seed, false);
  }

  /** Each prompt alone, in a fresh generator: what a batch must reproduce. */
  private List<List<Completion>> oneByOne(Path checkpoint, GenerationConfig config) {
    List<List<Completion>> out = new ArrayList<>();
    for (int p = 0; p < PROMPTS.size(); p++) {
      try (Generator g = backend().openGenerator(checkpoint, Device.CPU)) {
        // the random stream of sample s of prompt p depends on p: keep each prompt's index
        List<TokenSequence> padded = new ArrayList<>();
        for (int q = 0; q <= p; q++) padded.add(PROMPTS.get(p));
        out.add(g.generate(padded, config, TOKENIZER).get(p));
      }
    }
    return out;
  }

  @Test
  void greedyGenerationIsDeterministicAndIndependentOfBatching() {
    assumeTrue(can(Capability.GENERATE), "backend cannot generate");
    Path checkpoint = checkpointForGeneration(temp.resolve("gen"));
    GenerationConfig greedy = new GenerationConfig(12, false, 1, 0, 1, 1, List.of(), 0, false);
    List<List<Completion>> first;
    try (Generator g = backend().openGenerator(checkpoint, Device.CPU)) {
      first = g.generate(PROMPTS, greedy, TOKENIZER);
      assertEquals(first, g.generate(PROMPTS, greedy, TOKENIZER), "a second call differs");
    }
    assertEquals(PROMPTS.size(), first.size());
    for (List<Completion> l : first) {
      assertEquals(1, l.size());
      assertFalse(
          l.get(0).tokenIds().length() == 0
              && l.get(0).finishReason() != Completion.FinishReason.END_TOKEN,
          "an empty completion that did not end at an end token: " + l.get(0));
    }
    assertEquals(first, oneByOne(checkpoint, greedy), "batched and one-by-one greedy differ");
  }

  @Test
  void sampledGenerationIsDeterministicPerSeedAndVariesAcrossSeeds() {
    assumeTrue(can(Capability.GENERATE), "backend cannot generate");
    Path checkpoint = checkpointForGeneration(temp.resolve("gen"));
    try (Generator g = backend().openGenerator(checkpoint, Device.CPU)) {
      List<List<Completion>> seven = g.generate(PROMPTS, sampled(7), TOKENIZER);
      assertEquals(seven, g.generate(PROMPTS, sampled(7), TOKENIZER), "same seed, other samples");
      for (List<Completion> l : seven) assertEquals(3, l.size());
      boolean differs = false;
      for (long seed = 8; seed < 28 && !differs; seed++) {
        differs = !seven.equals(g.generate(PROMPTS, sampled(seed), TOKENIZER));
      }
      assertTrue(differs, "20 other seeds all gave the samples of seed 7");
    }
    try (Generator g = backend().openGenerator(checkpoint, Device.CPU)) {
      assertEquals(
          oneByOne(checkpoint, sampled(7)),
          g.generate(PROMPTS, sampled(7), TOKENIZER),
          "batched and one-by-one samples differ");
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
    if (generatesEveryArchitecture()) {
      // the backend's own tests compare every family with real reference logits; here: it opens
      // the model as what it is and generates
      try (Generator g = backend().openGenerator(dir, Device.CPU)) {
        assertEquals(spec.architecture(), g.spec().architecture());
        var out = g.generate(PROMPTS, GenerationConfig.greedy(3, java.util.List.of()), TOKENIZER);
        assertEquals(PROMPTS.size(), out.size());
      }
      return;
    }
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

package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.IdentityRouter;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.StepResult;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on CPU: learning, exact resume, modality-restricted loss, failures that explain. */
class TrainingIT {
  private static final CharTokenizer TOKENIZER = TinyCorpus.TOKENIZER;
  private static final int VOCABULARY = TOKENIZER.vocabularySize();

  @TempDir Path temp;

  private final PyTorchBackend backend = new PyTorchBackend();

  private static ModelSpec spec(int rows, double dropout) {
    return new ModelSpec(2, 2, 32, 64, rows, Separation.NONE, dropout);
  }

  private static TrainingConfig config(long seed, int batch, int accumulation, long steps) {
    return new TrainingConfig(
        seed, batch, accumulation, steps, 3e-3, 3e-4, 5, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
  }

  /** Every non-special token gets a code-side replica after the vocabulary. */
  static MappedRouter fullSeparation() {
    Map<Integer, Integer> replicas = new LinkedHashMap<>();
    int specials = TOKENIZER.specialTokens().size();
    for (int id = specials; id < VOCABULARY; id++) replicas.put(id, VOCABULARY + id - specials);
    return new MappedRouter(
        Separation.FULL, VOCABULARY, VOCABULARY + VOCABULARY - specials, replicas);
  }

  @Test
  void aTinyModelLearnsASmallCorpus() {
    IdentityRouter router = new IdentityRouter(VOCABULARY);
    ModelSpec spec = spec(VOCABULARY, 0.0);
    assertTrue(spec.parameterCount() <= 1_000_000, "tiny: " + spec.parameterCount());
    List<TrainingExample> heldOut = TinyCorpus.windows(TOKENIZER, router, 16, 32, 99);
    try (var session = backend.openTraining(spec, config(1, 16, 1, 300), router)) {
      double before = session.evaluate(heldOut);
      StepResult last = null;
      for (int step = 0; step < 300; step++) {
        last = session.step(TinyCorpus.windows(TOKENIZER, router, 16, 32, step));
      }
      double after = session.evaluate(heldOut);
      // chance is ln(100) = 4.6 nats per character; the corpus is small enough to memorise
      assertTrue(before > 4.0, "initial loss " + before);
      assertTrue(after < 0.6, "loss after 300 steps: " + after + " (last step " + last + ")");
    }
  }

  /**
   * The sdk-api contract fixture at {@code TrainingConfig.defaults}: the loss falls steadily (the
   * contract's own 20%-in-40-steps threshold is set aside, see PyTorchBackendContractIT).
   */
  @Test
  void theContractFixtureLearnsAtTheDefaultSettings() {
    var batch = dev.text2code.api.backend.ContractFixtures.patternBatch(4, 16, 3);
    var spec = dev.text2code.api.backend.ContractFixtures.tinySpec(48);
    var router = dev.text2code.api.backend.ContractFixtures.identityRouter();
    try (var session = backend.openTraining(spec, TrainingConfig.defaults(42, 4, 200), router)) {
      double before = session.evaluate(batch);
      for (int i = 0; i < 40; i++) session.step(batch);
      double after40 = session.evaluate(batch);
      for (int i = 40; i < 200; i++) session.step(batch);
      double after200 = session.evaluate(batch);
      assertTrue(after40 < before * 0.9, before + " -> " + after40 + " after 40 steps");
      assertTrue(after200 < before * 0.6, before + " -> " + after200 + " after 200 steps");
    }
  }

  @Test
  void aRunStoppedAndResumedEqualsAnUninterruptedRun() {
    IdentityRouter router = new IdentityRouter(VOCABULARY);
    ModelSpec spec = spec(VOCABULARY, 0.1); // dropout on: masks must be re-drawn identically
    TrainingConfig config = config(5, 4, 2, 6);
    List<Double> uninterrupted = new ArrayList<>();
    float[][] expectedLogits;
    TrainingExample probe = TinyCorpus.windows(TOKENIZER, router, 1, 32, 1234).get(0);
    try (var session = backend.openTraining(spec, config, router)) {
      for (int step = 0; step < 6; step++) {
        uninterrupted.add(session.step(TinyCorpus.windows(TOKENIZER, router, 4, 32, step)).loss());
      }
      expectedLogits = session.logits(probe);
    }
    List<Double> resumed = new ArrayList<>();
    Path checkpoint = temp.resolve("step-3");
    try (var session = backend.openTraining(spec, config, router)) {
      for (int step = 0; step < 3; step++) {
        resumed.add(session.step(TinyCorpus.windows(TOKENIZER, router, 4, 32, step)).loss());
      }
      session.save(checkpoint);
    }
    try (var session = backend.resumeTraining(checkpoint, config)) {
      assertEquals(3, session.completedSteps());
      for (int step = 3; step < 6; step++) {
        resumed.add(session.step(TinyCorpus.windows(TOKENIZER, router, 4, 32, step)).loss());
      }
      assertEquals(uninterrupted, resumed);
      float[][] actual = session.logits(probe);
      for (int t = 0; t < actual.length; t++) assertArrayEquals(expectedLogits[t], actual[t], 0f);
    }
  }

  @Test
  void gradientAccumulationComputesTheSameStepAsOneBigBatch() {
    IdentityRouter router = new IdentityRouter(VOCABULARY);
    // rows with different numbers of labelled positions: the loss is over the whole batch
    List<TrainingExample> batch = new ArrayList<>(TinyCorpus.windows(TOKENIZER, router, 4, 24, 3));
    int[] labels = batch.get(0).labels();
    for (int i = 0; i < 20; i++) labels[i] = TrainingExample.IGNORE;
    TrainingExample e = batch.get(0);
    batch.set(0, TrainingExample.causal(e.inputIds(), labels, e.targetModalities()));
    float[][] whole;
    float[][] accumulated;
    StepResult a;
    StepResult b;
    TrainingExample probe = batch.get(1);
    try (var session = backend.openTraining(spec(VOCABULARY, 0), config(2, 4, 1, 5), router)) {
      a = session.step(batch);
      whole = session.logits(probe);
    }
    try (var session = backend.openTraining(spec(VOCABULARY, 0), config(2, 4, 4, 5), router)) {
      b = session.step(batch);
      accumulated = session.logits(probe);
    }
    assertEquals(a.loss(), b.loss(), 1e-6);
    assertEquals(a.gradientNorm(), b.gradientNorm(), 1e-5);
    assertEquals(a.tokens(), b.tokens());
    for (int t = 0; t < whole.length; t++) assertArrayEquals(whole[t], accumulated[t], 1e-5f);
  }

  @Test
  void theStepLossIsTheMeanCrossEntropyOfTheModelBeforeTheStep() {
    IdentityRouter router = new IdentityRouter(VOCABULARY);
    List<TrainingExample> batch = TinyCorpus.windows(TOKENIZER, router, 4, 32, 8);
    try (var session = backend.openTraining(spec(VOCABULARY, 0), config(3, 4, 1, 5), router)) {
      double before = session.evaluate(batch);
      StepResult step = session.step(batch);
      assertEquals(before, step.loss(), 1e-5);
      assertEquals(config(3, 4, 1, 5).learningRateAt(0), step.learningRate(), 0);
      assertEquals(4 * 32, step.tokens());
      assertTrue(step.gradientNorm() > 0);
    }
  }

  /**
   * Under separation, the loss at a code-target position is normalised over the code vocabulary
   * only: a text-side row gets no probability there, and the loss equals MODEL.md's computed in
   * plain Java from the reference logits.
   */
  @Test
  void textSideRowsGetNoProbabilityAtCodeTargets() {
    MappedRouter router = fullSeparation();
    ModelSpec spec = new ModelSpec(2, 2, 32, 64, router.embeddingRows(), Separation.FULL, 0.0);
    List<TrainingExample> batch = TinyCorpus.windows(TOKENIZER, router, 4, 24, 4);
    Path checkpoint = temp.resolve("full");
    try (var session = backend.openTraining(spec, config(4, 4, 1, 20), router)) {
      for (int i = 0; i < 5; i++) session.step(batch);
      session.save(checkpoint);
      TrainingExample e = batch.get(0);
      double expected = referenceLoss(Checkpoint.read(checkpoint), router, e);
      assertEquals(expected, session.evaluate(List.of(e)), 1e-4);

      // the same label asked for as code through its text-side row: no mass at all
      int textRow = router.tokenIdOf(e.label(5));
      assertTrue(textRow != e.label(5), "label must have a replica");
      int[] labels = new int[e.length()];
      java.util.Arrays.fill(labels, TrainingExample.IGNORE);
      labels[5] = textRow;
      byte[] code = new byte[e.length()];
      java.util.Arrays.fill(code, Modality.CODE.code());
      byte[] text = new byte[e.length()];
      double codeTarget =
          session.evaluate(List.of(TrainingExample.causal(e.inputIds(), labels, code)));
      double textTarget =
          session.evaluate(List.of(TrainingExample.causal(e.inputIds(), labels, text)));
      assertTrue(
          codeTarget > 1e8, "a text-side row got probability at a code target: " + codeTarget);
      assertTrue(
          textTarget < 20, "the same row as a text target is an ordinary label: " + textTarget);
    }
  }

  private static double referenceLoss(Checkpoint c, MappedRouter router, TrainingExample e) {
    float[][] logits = ReferenceForward.of(c).logits(e.inputIds(), e.positionIds(), e.attention());
    boolean[] codeMask = router.codeVocabularyMask();
    boolean[] textMask = router.textVocabularyMask();
    double sum = 0;
    int count = 0;
    for (int t = 0; t < e.length(); t++) {
      if (e.label(t) == TrainingExample.IGNORE) continue;
      boolean[] mask = e.targetModality(t) == Modality.CODE ? codeMask : textMask;
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < mask.length; r++) if (mask[r]) max = Math.max(max, logits[t][r]);
      double z = 0;
      for (int r = 0; r < mask.length; r++) if (mask[r]) z += Math.exp(logits[t][r] - max);
      sum += -(logits[t][e.label(t)] - max - Math.log(z));
      count++;
    }
    return sum / count;
  }

  @Test
  void aNonFiniteLossStopsTheStepWithoutTouchingTheModel() {
    IdentityRouter router = new IdentityRouter(VOCABULARY);
    ModelSpec spec = spec(VOCABULARY, 0);
    Path good = temp.resolve("good");
    Path poisoned = temp.resolve("poisoned");
    try (var session = backend.openTraining(spec, config(6, 4, 1, 5), router)) {
      session.save(good);
    }
    Checkpoint c = Checkpoint.read(good);
    Map<String, Tensor> weights = new HashMap<>(c.weights());
    Tensor wpe = weights.get("wpe");
    float[] data = wpe.data().clone();
    data[63 * 32] = Float.POSITIVE_INFINITY; // position 63 only
    weights.put("wpe", new Tensor("wpe", wpe.shape(), data));
    new Checkpoint(spec, c.router(), weights, c.optimizer(), c.config(), 0, Map.of(), Map.of())
        .write(poisoned);
    try (var session = backend.resumeTraining(poisoned, config(6, 4, 1, 5))) {
      List<TrainingExample> healthy = TinyCorpus.windows(TOKENIZER, router, 4, 32, 5);
      float[][] before = session.logits(healthy.get(0));
      List<TrainingExample> reachesPosition63 = TinyCorpus.windows(TOKENIZER, router, 4, 64, 5);
      Text2CodeException e =
          assertThrows(Text2CodeException.class, () -> session.step(reachesPosition63));
      assertTrue(e.getMessage().contains("step 1"), e.getMessage());
      assertTrue(e.getMessage().contains("no parameter was updated"), e.getMessage());
      assertEquals(0, session.completedSteps());
      float[][] after = session.logits(healthy.get(0));
      for (int t = 0; t < before.length; t++) assertArrayEquals(before[t], after[t], 0f);
    }
  }

  @Test
  void askingForAGpuWithoutOneFailsClearly() {
    assumeTrue(Devices.engine().getGpuCount() == 0, "this machine has a GPU");
    IdentityRouter router = new IdentityRouter(VOCABULARY);
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () ->
                backend.openTraining(
                    spec(VOCABULARY, 0), config(1, 4, 1, 5).withDevice(Device.GPU), router));
    assertTrue(e.getMessage().contains("device = gpu"), e.getMessage());
    assertTrue(!backend.capabilities().contains(dev.text2code.api.backend.Capability.GPU));
    // auto falls back to the CPU
    try (var session =
        backend.openTraining(
            spec(VOCABULARY, 0), config(1, 4, 1, 5).withDevice(Device.AUTO), router)) {
      assertEquals(0, session.completedSteps());
    }
  }

  @Test
  void resumingAnExportOnlyCheckpointIsRefused() {
    IdentityRouter router = new IdentityRouter(VOCABULARY);
    Path full = temp.resolve("full");
    Path exportOnly = temp.resolve("export");
    try (var session = backend.openTraining(spec(VOCABULARY, 0), config(1, 4, 1, 5), router)) {
      session.save(full);
    }
    Checkpoint c = Checkpoint.read(full);
    new Checkpoint(
            c.spec(), c.router(), c.weights(), Map.of(), Optional.empty(), 0, Map.of(), Map.of())
        .write(exportOnly);
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> backend.resumeTraining(exportOnly, config(1, 4, 1, 5)));
    assertTrue(e.getMessage().contains("optimizer.safetensors"), e.getMessage());
  }
}

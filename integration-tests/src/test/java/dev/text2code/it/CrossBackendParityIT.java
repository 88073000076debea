package dev.text2code.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.StepResult;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.backend.onnx.OnnxBackend;
import dev.text2code.backend.onnx.OnnxDecoder;
import dev.text2code.backend.onnx.OnnxExporter;
import dev.text2code.backend.pytorch.PyTorchBackend;
import dev.text2code.backend.tensorflow.TensorFlowBackend;
import dev.text2code.tokenizers.pairs.PairFormat;
import dev.text2code.tokenizers.pairs.PairLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One checkpoint, three backends: PyTorch and TensorFlow give the same logits and the same training
 * step, ONNX Runtime the same logits, and all three the same greedy generation; a checkpoint
 * written by one backend continues on the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossBackendParityIT {
  static final double LOGIT_TOLERANCE = 1e-4;
  static final double LOSS_TOLERANCE = 1e-4;

  /**
   * After one AdamW step from the same state; the step moves weights by ~lr, so this checks the
   * update too.
   */
  static final double PARAMETER_TOLERANCE = 2e-5;

  @TempDir static Path temp;
  Tokenizer tokenizer;
  ModalityRouter router;
  ModelSpec spec;
  TrainingConfig config;
  Path initial;
  List<TrainingExample> batch;

  @BeforeAll
  void makeCheckpoint() {
    tokenizer = Fixtures.tokenizer(temp);
    router = Fixtures.partialRouter(tokenizer);
    spec = Fixtures.spec(router);
    config = TrainingConfig.defaults(11, 4, 20);
    batch = Fixtures.packedBatch(router, 4, 3);
    initial = temp.resolve("initial");
    try (TrainingSession session = new PyTorchBackend().openTraining(spec, config, router)) {
      session.step(batch);
      session.save(initial);
    }
  }

  @Test
  void logitsAgreeOnEveryBackendAndTheReference() {
    TrainingExample example = batch.get(1);
    float[][] reference =
        ReferenceForward.of(Checkpoint.read(initial))
            .logits(example.inputIds(), example.positionIds(), example.attention());
    float[][] pytorch;
    float[][] tensorflow;
    try (TrainingSession s = new PyTorchBackend().resumeTraining(initial, config)) {
      pytorch = s.logits(example);
    }
    try (TrainingSession s = new TensorFlowBackend().resumeTraining(initial, config)) {
      tensorflow = s.logits(example);
    }
    Path onnx = temp.resolve("model.onnx");
    OnnxExporter.export(initial, onnx);
    float[][] onnxLogits;
    try (OnnxDecoder decoder = OnnxDecoder.open(onnx, Device.CPU)) {
      onnxLogits = decoder.logits(example.inputIds(), example.positionIds(), example.attention());
    }
    assertClose(reference, pytorch, "pytorch vs reference");
    assertClose(pytorch, tensorflow, "tensorflow vs pytorch");
    assertClose(pytorch, onnxLogits, "onnx vs pytorch");
  }

  @Test
  void oneTrainingStepFromTheSameStateAgrees() {
    Path afterPyTorch = temp.resolve("after-pytorch");
    Path afterTensorFlow = temp.resolve("after-tensorflow");
    StepResult p;
    StepResult t;
    try (TrainingSession s = new PyTorchBackend().resumeTraining(initial, config)) {
      p = s.step(batch);
      s.save(afterPyTorch);
    }
    try (TrainingSession s = new TensorFlowBackend().resumeTraining(initial, config)) {
      t = s.step(batch);
      s.save(afterTensorFlow);
    }
    assertEquals(p.step(), t.step());
    assertEquals(p.loss(), t.loss(), LOSS_TOLERANCE, "loss of the same step");
    assertEquals(
        p.gradientNorm(), t.gradientNorm(), 1e-3 * Math.max(1, p.gradientNorm()), "gradient norm");
    Checkpoint a = Checkpoint.read(afterPyTorch);
    Checkpoint b = Checkpoint.read(afterTensorFlow);
    double worst = 0;
    for (Map.Entry<String, Tensor> e : a.weights().entrySet()) {
      float[] x = e.getValue().data();
      float[] y = b.weights().get(e.getKey()).data();
      for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
    }
    assertTrue(
        worst < PARAMETER_TOLERANCE, "largest parameter difference after one step: " + worst);
  }

  @Test
  void aCheckpointFromOneBackendContinuesOnTheOther() {
    Path fromTensorFlow = temp.resolve("from-tensorflow");
    try (TrainingSession s = new TensorFlowBackend().resumeTraining(initial, config)) {
      s.step(batch);
      s.save(fromTensorFlow);
    }
    double onPyTorch;
    double onTensorFlow;
    try (TrainingSession s = new PyTorchBackend().resumeTraining(fromTensorFlow, config)) {
      assertEquals(2, s.completedSteps());
      onPyTorch = s.step(batch).loss();
    }
    try (TrainingSession s = new TensorFlowBackend().resumeTraining(fromTensorFlow, config)) {
      onTensorFlow = s.step(batch).loss();
    }
    assertEquals(onPyTorch, onTensorFlow, LOSS_TOLERANCE);
  }

  @Test
  void greedyGenerationIsIdenticalOnAllThreeBackends() {
    PairFormat format = new PairFormat(tokenizer, PairLayout.COMMENTS_THEN_CODE, false);
    var prompt =
        format.format(
            dev.text2code.api.TextCodePair.python(
                "p", "Return the sum of two numbers.", "def add(a, b):\n"));
    // Drop the closing <eot>: the model continues the code.
    var open =
        dev.text2code.api.TokenSequence.of(
            java.util.Arrays.copyOf(prompt.ids(), prompt.length() - 1),
            java.util.Arrays.copyOf(prompt.modalityCodes(), prompt.length() - 1),
            prompt.prefixIndex());
    GenerationConfig greedy = GenerationConfig.greedy(12, List.of());
    List<Integer> reference = null;
    for (var backend : List.of(new PyTorchBackend(), new TensorFlowBackend(), new OnnxBackend())) {
      try (Generator g = backend.openGenerator(initial, Device.CPU)) {
        Completion c = g.generate(List.of(open), greedy, tokenizer).get(0).get(0);
        List<Integer> ids = java.util.Arrays.stream(c.tokenIds().toArray()).boxed().toList();
        if (reference == null) {
          reference = ids;
          assertTrue(!ids.isEmpty(), "pytorch generated nothing");
        } else {
          assertEquals(reference, ids, backend.name() + " differs from pytorch");
        }
      }
    }
  }

  /**
   * Sampled decoding (temperature, top-k, top-p, several samples per prompt) and stop sequences
   * give identical completions on all three backends for the same seed: one loop and one sampler
   * above every backend's step, and per-sample random streams that depend only on seed, prompt and
   * sample.
   */
  @Test
  void sampledGenerationAndStopSequencesAreIdenticalOnAllThreeBackends() {
    PairFormat format = new PairFormat(tokenizer, PairLayout.COMMENTS_THEN_CODE, false);
    List<dev.text2code.api.TokenSequence> prompts = new java.util.ArrayList<>();
    for (String[] pair :
        new String[][] {
          {"Return the sum of two numbers.", "def add(a, b):\n"}, {"Print i.", "de"}
        }) {
      var formatted = format.format(dev.text2code.api.TextCodePair.python("p", pair[0], pair[1]));
      prompts.add(
          dev.text2code.api.TokenSequence.of(
              java.util.Arrays.copyOf(formatted.ids(), formatted.length() - 1),
              java.util.Arrays.copyOf(formatted.modalityCodes(), formatted.length() - 1),
              formatted.prefixIndex()));
    }
    List<GenerationConfig> configs =
        List.of(
            new GenerationConfig(10, true, 0.8, 5, 1.0, 3, List.of(), 11, true),
            new GenerationConfig(10, true, 0.7, 0, 0.8, 2, List.of(), 12, true),
            new GenerationConfig(10, true, 0.6, 8, 0.9, 2, List.of("Ġis", "<NEW_LINE>"), 13, true),
            GenerationConfig.greedy(10, List.of("Ġ", "<NEW_LINE>")));
    // decodes the rows the router added (the paper's vocabulary extension) too
    Tokenizer extended = dev.text2code.tokenizers.routing.ModalityRouters.extend(tokenizer, router);
    List<List<List<Completion>>> reference = null;
    for (var backend : List.of(new PyTorchBackend(), new TensorFlowBackend(), new OnnxBackend())) {
      List<List<List<Completion>>> outputs = new java.util.ArrayList<>();
      try (Generator g = backend.openGenerator(initial, Device.CPU)) {
        for (GenerationConfig c : configs) outputs.add(g.generate(prompts, c, extended));
      }
      if (reference == null) {
        reference = outputs;
      } else {
        for (int c = 0; c < configs.size(); c++) {
          assertEquals(
              reference.get(c), outputs.get(c), backend.name() + " differs, " + configs.get(c));
        }
      }
    }
    // the extended tokenizer spells the rows it adds raw (a space as Ġ, a line break as <NEW_LINE>)
    java.util.Set<Completion.FinishReason> stopped = new java.util.HashSet<>();
    for (int c = 2; c < 4; c++) {
      for (List<Completion> l : reference.get(c))
        for (Completion x : l) stopped.add(x.finishReason());
    }
    assertTrue(
        stopped.contains(Completion.FinishReason.STOP_SEQUENCE),
        "no completion ended at a stop sequence: " + reference.subList(2, 4));
    assertEquals(3, reference.get(0).get(0).size(), "samples per prompt");
    assertTrue(
        !reference.get(0).get(0).get(0).equals(reference.get(0).get(0).get(1))
            || !reference.get(0).get(0).get(1).equals(reference.get(0).get(0).get(2)),
        "three samples of one prompt are all the same: " + reference.get(0).get(0));
  }

  /**
   * With {@code prefixAttention} a prompt's text and separator see each other as a prefix-LM is
   * trained, otherwise causally: the first greedy token of every backend is the reference's argmax
   * (over the code vocabulary) under the matching attention, prompts of different lengths batched
   * together (left padding), and the two settings do lead to different tokens.
   */
  @Test
  void promptAttentionFollowsTheReferenceOnAllThreeBackends() {
    // Weights 30x the initial scale: attention far from uniform, so how the prompt attends matters
    Checkpoint small = Checkpoint.read(initial);
    Map<String, Tensor> scaled = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : small.weights().entrySet()) {
      float[] data = e.getValue().data();
      if (!e.getKey().contains("ln_")) {
        for (int i = 0; i < data.length; i++) data[i] *= 30;
      }
      scaled.put(e.getKey(), new Tensor(e.getKey(), e.getValue().shape(), data));
    }
    Path sharp = temp.resolve("sharp");
    new Checkpoint(
            small.spec(),
            small.router(),
            scaled,
            small.optimizer(),
            small.config(),
            small.completedSteps(),
            small.state(),
            small.provenance())
        .write(sharp);
    Checkpoint checkpoint = Checkpoint.read(sharp);
    ReferenceForward reference = ReferenceForward.of(checkpoint);
    var mapped = checkpoint.router();
    boolean[] code = mapped.codeVocabularyMask();
    // decodes the rows the router added (the paper's vocabulary extension) too
    Tokenizer extended = dev.text2code.tokenizers.routing.ModalityRouters.extend(tokenizer, router);
    int end = tokenizer.specialTokens().get("<eot>");
    PairFormat format = new PairFormat(tokenizer, PairLayout.COMMENTS_THEN_CODE, false);
    String[] texts = {
      "Return the sum of two numbers.",
      "Print i.",
      "Is n even?",
      "Push an item onto the stack and return nothing at all.",
      "Add a and b.",
      "Return the items.",
      "Print the numbers below ten.",
      "Sum."
    };
    List<dev.text2code.api.TokenSequence> prompts = new java.util.ArrayList<>();
    for (String text : texts) {
      var pair = format.format(dev.text2code.api.TextCodePair.python("p", text, "def f(a):\n"));
      prompts.add(
          dev.text2code.api.TokenSequence.of(
              java.util.Arrays.copyOf(pair.ids(), pair.prefixIndex() + 1),
              java.util.Arrays.copyOf(pair.modalityCodes(), pair.prefixIndex() + 1),
              pair.prefixIndex()));
    }
    int decided = 0;
    int differing = 0;
    for (boolean prefix : new boolean[] {false, true}) {
      GenerationConfig greedy = GenerationConfig.greedy(1, List.of()).withPrefixAttention(prefix);
      Integer[] expected = new Integer[prompts.size()];
      for (int p = 0; p < prompts.size(); p++) {
        var prompt = prompts.get(p);
        int n = prompt.length();
        int[] positions = java.util.stream.IntStream.range(0, n).toArray();
        var attention =
            prefix
                ? dev.text2code.api.objective.AttentionSpec.prefix(n, prompt.prefixIndex() + 1)
                : dev.text2code.api.objective.AttentionSpec.causal(n);
        float[] last = reference.logits(mapped.route(prompt).ids(), positions, attention)[n - 1];
        expected[p] = clearArgmax(last, code); // null: two rows too close to call
        if (expected[p] != null) expected[p] = mapped.tokenIdOf(expected[p]);
        if (!prefix) continue;
        float[] causal =
            reference
                .logits(
                    mapped.route(prompt).ids(),
                    positions,
                    dev.text2code.api.objective.AttentionSpec.causal(n))[n - 1];
        Integer causalBest = clearArgmax(causal, code);
        if (expected[p] != null && causalBest != null) {
          decided++;
          if (mapped.tokenIdOf(causalBest) != expected[p]) differing++;
        }
      }
      for (var backend :
          List.of(new PyTorchBackend(), new TensorFlowBackend(), new OnnxBackend())) {
        try (Generator g = backend.openGenerator(sharp, Device.CPU)) {
          List<List<Completion>> out = g.generate(prompts, greedy, extended);
          for (int p = 0; p < prompts.size(); p++) {
            if (expected[p] == null) continue;
            int[] ids = out.get(p).get(0).tokenIds().toArray();
            int got = ids.length == 0 ? end : ids[0];
            assertEquals(
                expected[p].intValue(),
                got,
                backend.name() + ", prefix attention " + prefix + ", prompt " + p);
          }
        }
      }
    }
    assertTrue(decided >= 4, "prompts with a clear argmax in both settings: " + decided);
    assertTrue(differing > 0, "prefix and causal attention chose the same token for every prompt");
  }

  /** The allowed row with the largest value, or null when the runner-up is within 1e-3. */
  private static Integer clearArgmax(float[] logits, boolean[] allowed) {
    int best = -1;
    int second = -1;
    for (int r = 0; r < logits.length; r++) {
      if (!allowed[r]) continue;
      if (best < 0 || logits[r] > logits[best]) {
        second = best;
        best = r;
      } else if (second < 0 || logits[r] > logits[second]) {
        second = r;
      }
    }
    return second >= 0 && logits[best] - logits[second] < 1e-3 ? null : best;
  }

  private static void assertClose(float[][] expected, float[][] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double worst = 0;
    for (int t = 0; t < expected.length; t++) {
      for (int r = 0; r < expected[t].length; r++)
        worst = Math.max(worst, Math.abs(expected[t][r] - actual[t][r]));
    }
    assertTrue(worst < LOGIT_TOLERANCE, what + ": largest logit difference " + worst);
  }
}

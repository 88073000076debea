package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generation from a small model trained here on two tiny functions, with the characters a..e
 * replicated for the code side (partial separation), so generated rows must map back to ids.
 */
class GenerationIT {
  static final CharTokenizer TOKENIZER =
      CharTokenizer.specialsThenCharacters(List.of("<eot>"), CharTokenizer.PRINTABLE_ASCII);
  static final String CORPUS =
      "def add(a, b):\n    return a + b\n<eot>def sub(a, b):\n    return a - b\n<eot>";
  static MappedRouter router;
  static ModelSpec spec;
  static Path checkpoint;
  static Generator generator;
  static double firstLoss;
  static double finalLoss;

  @BeforeAll
  static void train() throws Exception {
    int vocabulary = TOKENIZER.vocabularySize();
    Map<Integer, Integer> replicated = new LinkedHashMap<>();
    for (char c = 'a'; c <= 'e'; c++) {
      replicated.put(TOKENIZER.encode(String.valueOf(c)).get(0), vocabulary + replicated.size());
    }
    router = new MappedRouter(Separation.PARTIAL, vocabulary, vocabulary + 5, replicated);
    spec = new ModelSpec(2, 2, 32, 64, router.embeddingRows(), Separation.PARTIAL, 0.0);
    int[] stream =
        router
            .route(
                TokenSequence.uniform(TOKENIZER.encode(CORPUS + CORPUS).toArray(), Modality.CODE))
            .ids();
    TrainingConfig config =
        new TrainingConfig(3, 8, 1, 150, 1e-2, 1e-3, 10, 0.0, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
    SplittableRandom random = new SplittableRandom(4);
    int length = 32;
    checkpoint = Files.createTempDirectory("tf-generation").resolve("model");
    try (TrainingSession session = new TensorFlowBackend().openTraining(spec, config, router)) {
      for (int step = 0; step < config.maxSteps(); step++) {
        List<TrainingExample> batch = new ArrayList<>();
        for (int r = 0; r < config.batchSize(); r++) {
          int start = random.nextInt(stream.length / 2);
          int[] ids = java.util.Arrays.copyOfRange(stream, start, start + length);
          int[] labels = java.util.Arrays.copyOfRange(stream, start + 1, start + length + 1);
          byte[] code = new byte[length];
          java.util.Arrays.fill(code, (byte) 1);
          batch.add(TrainingExample.causal(ids, labels, code));
        }
        double loss = session.step(batch).loss();
        if (step == 0) firstLoss = loss;
        finalLoss = loss;
      }
      session.save(checkpoint);
    }
    generator = new TensorFlowBackend().openGenerator(checkpoint, Device.CPU);
  }

  @AfterAll
  static void close() {
    generator.close();
  }

  static TokenSequence code(String text) {
    return TokenSequence.uniform(TOKENIZER.encode(text).toArray(), Modality.CODE);
  }

  /** Greedy decoding by re-running the whole prefix through the plain-Java reference. */
  static List<Integer> referenceGreedy(TokenSequence prompt, int maxNewTokens) {
    ReferenceForward reference = ReferenceForward.of(Checkpoint.read(checkpoint));
    boolean[] allowed = router.codeVocabularyMask();
    List<Integer> rows = new ArrayList<>();
    for (int id : router.route(prompt).ids()) rows.add(id);
    int promptLength = rows.size();
    int prefix = prompt.hasPrefix() ? prompt.prefixIndex() + 1 : 0;
    List<Integer> generated = new ArrayList<>();
    for (int step = 0; step < maxNewTokens; step++) {
      int n = rows.size();
      int[] ids = rows.stream().mapToInt(Integer::intValue).toArray();
      int[] positions = new int[n];
      for (int i = 0; i < n; i++) positions[i] = i;
      float[] last = reference.logits(ids, positions, AttentionSpec.prefix(n, prefix))[n - 1];
      int best = -1;
      for (int r = 0; r < last.length; r++) {
        if (allowed[r] && (best < 0 || last[r] > last[best])) best = r;
      }
      int token = router.tokenIdOf(best);
      if (token == 0) break; // <eot>
      generated.add(token);
      rows.add(best);
    }
    assertTrue(rows.size() > promptLength || generated.isEmpty());
    return generated;
  }

  private static List<Integer> list(TokenIds ids) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < ids.length(); i++) out.add(ids.get(i));
    return out;
  }

  @Test
  void theTinyModelLearnsTheCorpus() {
    // 150 steps of 8 x 32 characters: from ln(102) = 4.6 nats to well under 0.3
    assertTrue(firstLoss > 4.0, "first loss " + firstLoss);
    assertTrue(finalLoss < 0.3, "loss after 150 steps " + finalLoss);
  }

  @Test
  void cachedBatchedGreedyEqualsFullRecomputation() {
    byte[] modalities = new byte[11];
    int[] ids = TOKENIZER.encode("add a, b:\ndef").toArray();
    modalities = new byte[ids.length];
    for (int i = 10; i < ids.length; i++) modalities[i] = 1; // text prefix, then code
    List<TokenSequence> prompts =
        List.of(code("def add(a, b):\n"), code("def s"), TokenSequence.of(ids, modalities, 9));
    List<List<Completion>> out =
        generator.generate(prompts, GenerationConfig.greedy(24, List.of()), TOKENIZER);
    assertEquals(3, out.size());
    for (int p = 0; p < prompts.size(); p++) {
      assertEquals(1, out.get(p).size());
      Completion c = out.get(p).get(0);
      List<Integer> expected = referenceGreedy(prompts.get(p), 24);
      assertEquals(expected, list(c.tokenIds()), "prompt " + p + ": " + c.text());
      assertEquals(TOKENIZER.decode(c.tokenIds()), c.text());
      for (int id : c.tokenIds().toArray()) {
        assertTrue(id < TOKENIZER.vocabularySize(), "row " + id + " was not mapped back");
      }
    }
    // the model learned the corpus: the first prompt continues with its body and ends
    Completion first = out.get(0).get(0);
    assertEquals("    return a + b\n", first.text());
    assertEquals(Completion.FinishReason.END_TOKEN, first.finishReason());
  }

  @Test
  void greedyIsDeterministicAndHonoursStopSequences() {
    List<TokenSequence> prompts = List.of(code("def sub(a, b):\n"));
    Completion plain =
        generator
            .generate(prompts, GenerationConfig.greedy(30, List.of()), TOKENIZER)
            .get(0)
            .get(0);
    assertEquals(
        plain,
        generator
            .generate(prompts, GenerationConfig.greedy(30, List.of()), TOKENIZER)
            .get(0)
            .get(0));
    assertTrue(plain.text().contains("ret"), plain.text());
    Completion stopped =
        generator
            .generate(prompts, GenerationConfig.greedy(30, List.of("@@", "ret")), TOKENIZER)
            .get(0)
            .get(0);
    int cut = plain.text().indexOf("ret");
    assertEquals(plain.text().substring(0, cut), stopped.text());
    assertEquals(Completion.FinishReason.STOP_SEQUENCE, stopped.finishReason());
    assertEquals(stopped.text(), TOKENIZER.decode(stopped.tokenIds()));
    Completion capped =
        generator.generate(prompts, GenerationConfig.greedy(3, List.of()), TOKENIZER).get(0).get(0);
    assertEquals(3, capped.tokenIds().length());
    assertEquals(Completion.FinishReason.MAX_TOKENS, capped.finishReason());
    assertEquals(plain.text().substring(0, 3), capped.text());
  }

  @Test
  void samplesAreReproducibleAndIndependent() {
    List<TokenSequence> prompts = List.of(code("def "), code("def add(a"));
    GenerationConfig hot = new GenerationConfig(12, true, 3.0, 0, 1.0, 3, List.of(), 17, true);
    List<List<Completion>> a = generator.generate(prompts, hot, TOKENIZER);
    List<List<Completion>> b = generator.generate(prompts, hot, TOKENIZER);
    assertEquals(a, b);
    assertEquals(2, a.size());
    assertEquals(3, a.get(0).size());
    assertEquals(3, a.get(1).size());
    assertFalse(
        a.get(0).get(0).equals(a.get(0).get(1)) && a.get(0).get(1).equals(a.get(0).get(2)),
        "three hot samples were all equal: " + a.get(0));
    GenerationConfig otherSeed =
        new GenerationConfig(12, true, 3.0, 0, 1.0, 3, List.of(), 18, true);
    assertNotEquals(a, generator.generate(prompts, otherSeed, TOKENIZER));
    // top-k 1 sampling is greedy decoding
    GenerationConfig topOne = new GenerationConfig(12, true, 1.0, 1, 1.0, 2, List.of(), 5, true);
    Completion greedy =
        generator
            .generate(prompts, GenerationConfig.greedy(12, List.of()), TOKENIZER)
            .get(1)
            .get(0);
    for (Completion c : generator.generate(prompts, topOne, TOKENIZER).get(1)) {
      assertEquals(greedy, c);
    }
  }

  @Test
  void cacheChangesNothingButSpeed() {
    List<TokenSequence> prompts = List.of(code("def add(a, b):\n"), code("de"), code("def sub("));
    GenerationConfig hot = new GenerationConfig(20, true, 1.5, 0, 0.95, 2, List.of("@@"), 3, true);
    try (Generator uncached =
        new dev.text2code.api.generation.GenerationLoop(
            new TensorFlowStep(Checkpoint.read(checkpoint), Device.CPU, false))) {
      assertEquals(
          generator.generate(prompts, GenerationConfig.greedy(20, List.of()), TOKENIZER),
          uncached.generate(prompts, GenerationConfig.greedy(20, List.of()), TOKENIZER));
      assertEquals(
          generator.generate(prompts, hot, TOKENIZER), uncached.generate(prompts, hot, TOKENIZER));
    }
  }

  @Test
  void promptsThatDoNotFitAreRejected() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                generator.generate(
                    List.of(code("x".repeat(spec.contextLength() + 1))),
                    GenerationConfig.greedy(4, List.of()),
                    TOKENIZER));
    assertTrue(e.getMessage().contains("prompt 0"), e.getMessage());
  }

  @Test
  void generationStopsAtTheContextLength() {
    String prompt = "def add(a, b):\n".repeat(5).substring(0, spec.contextLength() - 2);
    Completion c =
        generator
            .generate(List.of(code(prompt)), GenerationConfig.greedy(50, List.of()), TOKENIZER)
            .get(0)
            .get(0);
    // positions 0..context-1 exist: a prompt of context-2 leaves room to feed 2 new tokens, and
    // the token predicted at the last position is still returned
    assertTrue(c.tokenIds().length() <= 3, c.toString());
    Completion full =
        generator
            .generate(
                List.of(code("x".repeat(spec.contextLength()))),
                GenerationConfig.greedy(50, List.of()),
                TOKENIZER)
            .get(0)
            .get(0);
    assertTrue(full.tokenIds().length() <= 1, full.toString());
  }
}

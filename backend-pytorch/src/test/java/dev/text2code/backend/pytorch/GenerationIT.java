package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.generation.GenerationLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation from models trained on {@link TinyCorpus}: one without and one with separation. */
class GenerationIT {
  private static final CharTokenizer TOKENIZER = TinyCorpus.TOKENIZER;
  private static final int STEPS = 400;
  private static Path directory;
  private static Checkpoint plain;
  private static Checkpoint separated;

  @BeforeAll
  static void train() throws Exception {
    directory = Files.createTempDirectory("t2c-generation");
    plain = trained(new IdentityRouter(TOKENIZER.vocabularySize()), Separation.NONE, "plain");
    separated = trained(TrainingIT.fullSeparation(), Separation.FULL, "full");
  }

  @AfterAll
  static void clean() throws Exception {
    try (var paths = Files.walk(directory)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private static Checkpoint trained(ModalityRouter router, Separation separation, String name) {
    ModelSpec spec = new ModelSpec(2, 2, 48, 64, router.embeddingRows(), separation, 0.0);
    TrainingConfig config =
        new TrainingConfig(
            9, 16, 1, STEPS, 5e-3, 5e-4, 10, 0.0, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
    try (var session = new PyTorchBackend().openTraining(spec, config, router)) {
      for (int step = 0; step < STEPS; step++) {
        session.step(TinyCorpus.windows(TOKENIZER, router, 16, 40, step));
      }
      session.save(directory.resolve(name));
    }
    return Checkpoint.read(directory.resolve(name));
  }

  private static TokenSequence code(String text) {
    return TokenSequence.uniform(TOKENIZER.encode(text).toArray(), Modality.CODE);
  }

  private static List<List<Completion>> generate(
      Checkpoint checkpoint, boolean kvCache, List<TokenSequence> prompts, GenerationConfig c) {
    try (GenerationLoop generator =
        new GenerationLoop(PyTorchStep.of(checkpoint, Device.CPU, kvCache))) {
      return generator.generate(prompts, c, TOKENIZER);
    }
  }

  @Test
  void greedyGenerationContinuesTheLearnedCodeAndIsDeterministic() {
    GenerationConfig greedy = GenerationConfig.greedy(40, List.of());
    List<TokenSequence> prompt = List.of(code("def add(a, b):\n"));
    Completion first = generate(plain, true, prompt, greedy).get(0).get(0);
    Completion again = generate(plain, true, prompt, greedy).get(0).get(0);
    assertEquals(first, again);
    assertEquals("    return a + b\n", first.text());
    assertEquals(Completion.FinishReason.END_TOKEN, first.finishReason());
    assertEquals(first.text(), TOKENIZER.decode(first.tokenIds()));
  }

  @Test
  void generationStopsAtAStopSequenceAndCutsBeforeIt() {
    GenerationConfig stopAtReturn = GenerationConfig.greedy(40, List.of("return"));
    Completion c =
        generate(plain, true, List.of(code("def sub(a, b):\n")), stopAtReturn).get(0).get(0);
    assertEquals(Completion.FinishReason.STOP_SEQUENCE, c.finishReason());
    assertEquals("    ", c.text());
    assertEquals("    ", TOKENIZER.decode(c.tokenIds()));
  }

  @Test
  void theKvCacheChangesNothingButSpeed() {
    GenerationConfig greedy = GenerationConfig.greedy(30, List.of());
    List<TokenSequence> prompts =
        List.of(code("def mul(a, b):\n"), code("def f"), code("def last(xs):\n    return"));
    assertEquals(generate(plain, true, prompts, greedy), generate(plain, false, prompts, greedy));
    GenerationConfig sampled = new GenerationConfig(30, true, 0.9, 20, 0.95, 3, List.of(), 5, true);
    assertEquals(generate(plain, true, prompts, sampled), generate(plain, false, prompts, sampled));
  }

  @Test
  void aBatchOfPromptsGivesWhatEachPromptGivesAlone() {
    GenerationConfig greedy = GenerationConfig.greedy(30, List.of("\n\n"));
    List<TokenSequence> prompts =
        List.of(code("def neg(x):\n"), code("d"), code("def first(xs):\n    return xs"));
    List<List<Completion>> batched = generate(plain, true, prompts, greedy);
    assertEquals(3, batched.size());
    for (int i = 0; i < prompts.size(); i++) {
      assertEquals(generate(plain, true, List.of(prompts.get(i)), greedy).get(0), batched.get(i));
    }
  }

  @Test
  void samplingGivesNSeededSamplesPerPrompt() {
    List<TokenSequence> prompts = List.of(code("def "), code("def add(a, b):\n"));
    GenerationConfig hot = new GenerationConfig(20, true, 1.5, 0, 1.0, 4, List.of(), 7, true);
    List<List<Completion>> a = generate(plain, true, prompts, hot);
    assertEquals(2, a.size());
    assertEquals(4, a.get(0).size());
    assertEquals(4, a.get(1).size());
    assertEquals(a, generate(plain, true, prompts, hot), "same seed, same samples");
    GenerationConfig otherSeed = new GenerationConfig(20, true, 1.5, 0, 1.0, 4, List.of(), 8, true);
    assertNotEquals(a, generate(plain, true, prompts, otherSeed));
    assertTrue(a.get(0).stream().map(Completion::text).distinct().count() > 1, "samples differ");
    // top-k = 1 and a tiny top-p both leave only the most likely row: sampling becomes greedy
    Completion greedy =
        generate(plain, true, prompts, GenerationConfig.greedy(20, List.of())).get(0).get(0);
    GenerationConfig topK1 = new GenerationConfig(20, true, 1.5, 1, 1.0, 2, List.of(), 3, true);
    GenerationConfig tinyP = new GenerationConfig(20, true, 1.5, 0, 1e-6, 2, List.of(), 3, true);
    for (Completion c : generate(plain, true, prompts, topK1).get(0)) assertEquals(greedy, c);
    for (Completion c : generate(plain, true, prompts, tinyP).get(0)) assertEquals(greedy, c);
  }

  @Test
  void replicatedRowsAreMappedBackToTokenIdsBeforeDecoding() {
    MappedRouter router = separated.router();
    GenerationConfig greedy = GenerationConfig.greedy(40, List.of());
    Completion c =
        generate(separated, true, List.of(code("def add(a, b):\n")), greedy).get(0).get(0);
    assertEquals("    return a + b\n", c.text());
    for (int id : c.tokenIds().toArray()) {
      assertTrue(id < router.vocabularySize(), "row " + id + " was not mapped back");
    }
    // the model really predicts replica rows: the tokens it generated all have replicas
    for (int id : c.tokenIds().toArray()) assertTrue(router.replicatedRows().containsKey(id));
  }

  @Test
  void infillPromptsAreJustTokenSequences() {
    TokenSequence infill = code("<fim_prefix>def neg(x):\n<fim_suffix>\n<eot><fim_middle>");
    assertEquals(4, infill.length() - TOKENIZER.encode("def neg(x):\n\n").length());
    List<List<Completion>> out =
        generate(plain, true, List.of(infill), GenerationConfig.greedy(12, List.of()));
    Completion c = out.get(0).get(0);
    assertTrue(c.tokenIds().length() <= 12);
    assertEquals(TOKENIZER.decode(c.tokenIds()), c.text());
  }

  @Test
  void generationEndsAtTheContextLength() {
    String longPrompt = TinyCorpus.TEXT.replace("<eot>", "").substring(0, 62);
    Completion c =
        generate(plain, true, List.of(code(longPrompt)), GenerationConfig.greedy(50, List.of()))
            .get(0)
            .get(0);
    assertTrue(c.tokenIds().length() <= 3, "positions 62, 63 then stop: " + c);
    assertFalse(c.finishReason() == Completion.FinishReason.STOP_SEQUENCE);
    String tooLong = TinyCorpus.TEXT.replace("<eot>", "").substring(0, 65);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                generate(
                    plain, true, List.of(code(tooLong)), GenerationConfig.greedy(5, List.of())));
    assertTrue(e.getMessage().contains("model.context"), e.getMessage());
  }
}

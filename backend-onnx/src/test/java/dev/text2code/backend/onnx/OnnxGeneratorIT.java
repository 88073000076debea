package dev.text2code.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Completion.FinishReason;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.generation.GenerationLoop;
import dev.text2code.api.objective.AttentionSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGeneratorIT {
  @TempDir static Path temp;
  private static final CharTokenizer TOKENIZER = TestModels.TOKENIZER;
  private static Checkpoint checkpoint;
  private static MappedRouter router;
  private static GenerationLoop generator;

  @BeforeAll
  static void open() {
    router = TestModels.partialRouter();
    ModelSpec spec = TestModels.spec(router, 2, 2, 32, 40);
    checkpoint = TestModels.checkpoint(spec, router, 23);
    Path file = temp.resolve("gen.onnx");
    OnnxExporter.export(checkpoint, "test", file);
    generator = OnnxStep.generator(OnnxDecoder.open(file, Device.CPU), 3);
  }

  @AfterAll
  static void close() {
    generator.close();
  }

  /** "def f(a" as text then code: a prompt mixing both modalities. */
  private static TokenSequence prompt(String text, String code) {
    int[] t = TOKENIZER.encode(text).toArray();
    int[] c = TOKENIZER.encode(code).toArray();
    int[] ids = new int[t.length + c.length];
    byte[] modalities = new byte[ids.length];
    System.arraycopy(t, 0, ids, 0, t.length);
    System.arraycopy(c, 0, ids, t.length, c.length);
    for (int i = t.length; i < ids.length; i++) modalities[i] = Modality.CODE.code();
    return TokenSequence.of(ids, modalities, -1);
  }

  private static GenerationConfig greedy(int tokens, boolean codeOnly, List<String> stops) {
    return new GenerationConfig(tokens, false, 1.0, 0, 1.0, 1, stops, 0, codeOnly);
  }

  private static GenerationConfig sampling(
      int tokens, int samples, long seed, int topK, double topP) {
    return new GenerationConfig(tokens, true, 0.9, topK, topP, samples, List.of(), seed, true);
  }

  /** Greedy decoding by the plain-Java reference, full sequence at every step, no cache. */
  private static int[] referenceGreedy(TokenSequence prompt, int tokens, boolean codeOnly) {
    ReferenceForward reference = ReferenceForward.of(checkpoint);
    boolean[] allowed = codeOnly ? router.codeVocabularyMask() : null;
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < prompt.length(); i++)
      rows.add(router.route(prompt.id(i), prompt.modality(i)));
    int eot = TOKENIZER.specialTokenId("<eot>");
    List<Integer> out = new ArrayList<>();
    int budget = Math.min(tokens, checkpoint.spec().contextLength() - prompt.length() + 1);
    for (int step = 0; step < budget; step++) {
      int[] ids = rows.stream().mapToInt(Integer::intValue).toArray();
      int[] positions = new int[ids.length];
      for (int i = 0; i < ids.length; i++) positions[i] = i;
      float[] last =
          reference.logits(ids, positions, AttentionSpec.causal(ids.length))[ids.length - 1];
      int best = argmax(last, allowed);
      if (router.tokenIdOf(best) == eot) break;
      rows.add(best);
      out.add(router.tokenIdOf(best));
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int argmax(float[] logits, boolean[] allowed) {
    int best = -1;
    for (int r = 0; r < logits.length; r++) {
      if (allowed != null && !allowed[r]) continue;
      if (best < 0 || logits[r] > logits[best]) best = r;
    }
    return best;
  }

  @Test
  void greedyGenerationEqualsAGreedyLoopOverTheReference() {
    TokenSequence p = prompt("add two numbers ", "def add(a");
    for (boolean codeOnly : new boolean[] {true, false}) {
      Completion c =
          generator.generate(List.of(p), greedy(20, codeOnly, List.of()), TOKENIZER).get(0).get(0);
      int[] expected = referenceGreedy(p, 20, codeOnly);
      assertEquals(TokenIds.of(expected), c.tokenIds(), "codeOnly = " + codeOnly);
      assertEquals(TOKENIZER.decode(TokenIds.of(expected)), c.text());
    }
  }

  @Test
  void codeOnlyGenerationNeverPicksATextSideRowAndMapsReplicasBack() {
    // many samples so that replicated code-side rows (ids 0..7 of the tokenizer) do get drawn
    List<Completion> samples =
        generator
            .generate(List.of(prompt("sum ", "abc")), sampling(25, 12, 3, 0, 1.0), TOKENIZER)
            .get(0);
    Set<Integer> seen = new HashSet<>();
    for (Completion c : samples) {
      for (int id : c.tokenIds().toArray()) {
        assertTrue(id >= 0 && id < TOKENIZER.vocabularySize(), "id " + id + " is a tokenizer id");
        seen.add(id);
      }
    }
    assertTrue(
        seen.stream().anyMatch(id -> id < 8), "some replicated token was generated: " + seen);
  }

  @Test
  void aBatchOfPromptsGivesWhatEachPromptGivesAlone() {
    List<TokenSequence> prompts =
        List.of(
            prompt("x", "y"),
            prompt("return the largest element ", "def m(xs):"),
            prompt("", "for i in range(10):"),
            prompt("ab", "c"));
    GenerationConfig config = greedy(12, true, List.of());
    List<List<Completion>> together = generator.generate(prompts, config, TOKENIZER);
    assertEquals(prompts.size(), together.size());
    for (int i = 0; i < prompts.size(); i++) {
      List<Completion> alone =
          generator.generate(List.of(prompts.get(i)), config, TOKENIZER).get(0);
      assertEquals(alone, together.get(i), "prompt " + i);
      assertEquals(TokenIds.of(referenceGreedy(prompts.get(i), 12, true)), alone.get(0).tokenIds());
    }
  }

  @Test
  void samplingGivesNPerPromptDeterministicallyBySeed() {
    List<TokenSequence> prompts = List.of(prompt("a", "b"), prompt("cd", "ef"));
    List<List<Completion>> first =
        generator.generate(prompts, sampling(10, 4, 42, 0, 0.8), TOKENIZER);
    List<List<Completion>> again =
        generator.generate(prompts, sampling(10, 4, 42, 0, 0.8), TOKENIZER);
    List<List<Completion>> other =
        generator.generate(prompts, sampling(10, 4, 43, 0, 0.8), TOKENIZER);
    assertEquals(2, first.size());
    first.forEach(list -> assertEquals(4, list.size()));
    assertEquals(first, again, "same seed, same samples");
    assertNotEquals(first, other, "another seed, other samples");
    Set<TokenIds> distinct = new HashSet<>();
    first.get(0).forEach(c -> distinct.add(c.tokenIds()));
    assertTrue(distinct.size() > 1, "samples of one prompt differ: " + first.get(0));
  }

  @Test
  void topKOfOneIsGreedy() {
    TokenSequence p = prompt("count ", "while x");
    Completion sampled =
        generator.generate(List.of(p), sampling(15, 1, 9, 1, 1.0), TOKENIZER).get(0).get(0);
    Completion greedy =
        generator.generate(List.of(p), greedy(15, true, List.of()), TOKENIZER).get(0).get(0);
    assertEquals(greedy.tokenIds(), sampled.tokenIds());
  }

  @Test
  void aStopSequenceCutsTheTextBeforeIt() {
    TokenSequence p = prompt("sort ", "def s(");
    Completion full =
        generator.generate(List.of(p), greedy(25, true, List.of()), TOKENIZER).get(0).get(0);
    assertEquals(FinishReason.MAX_TOKENS, full.finishReason());
    assertEquals(25, full.tokenIds().length());
    String stop = full.text().substring(10, 12);
    int cut = full.text().indexOf(stop);
    Completion stopped =
        generator
            .generate(List.of(p), greedy(25, true, List.of("zzzz", stop)), TOKENIZER)
            .get(0)
            .get(0);
    assertEquals(FinishReason.STOP_SEQUENCE, stopped.finishReason());
    assertEquals(full.text().substring(0, cut), stopped.text());
    assertEquals(full.tokenIds().slice(0, cut), stopped.tokenIds());
  }

  @Test
  void theEndTokenEndsASampleAndIsLeftOut() {
    TokenSequence p = prompt("sort ", "def s(");
    Completion full =
        generator.generate(List.of(p), greedy(25, true, List.of()), TOKENIZER).get(0).get(0);
    // a tokenizer that spells the fifth generated token as <eot>: generation must end right there
    int end = full.tokenIds().get(4);
    int firstAt = 0;
    while (full.tokenIds().get(firstAt) != end) firstAt++;
    CharTokenizer withEnd =
        TOKENIZER.withTokenAt(TOKENIZER.specialTokenId("<eot>"), "<old>").withTokenAt(end, "<eot>");
    Completion c =
        generator.generate(List.of(p), greedy(25, true, List.of()), withEnd).get(0).get(0);
    assertEquals(FinishReason.END_TOKEN, c.finishReason());
    assertEquals(full.tokenIds().slice(0, firstAt), c.tokenIds());
  }

  @Test
  void generationStopsAtTheEndOfTheContext() {
    TokenSequence p = prompt("a", "0123456789012345678901234567890123");
    Completion c =
        generator.generate(List.of(p), greedy(25, true, List.of()), TOKENIZER).get(0).get(0);
    // the last token fed sits at position 39, so the context leaves 40 - length + 1 tokens
    assertEquals(40 - p.length() + 1, c.tokenIds().length());
    assertEquals(FinishReason.MAX_TOKENS, c.finishReason());
  }

  @Test
  void badPromptsAreRejectedNamingThePrompt() {
    TokenSequence tooLong = TokenSequence.uniform(new int[41], Modality.CODE);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                generator.generate(
                    List.of(prompt("a", "b"), tooLong), greedy(5, true, List.of()), TOKENIZER));
    assertTrue(
        e.getMessage().contains("prompt 1") && e.getMessage().contains("41"), e.getMessage());
    TokenSequence outside =
        TokenSequence.uniform(new int[] {TOKENIZER.vocabularySize() + 2}, Modality.TEXT);
    e =
        assertThrows(
            InvalidInputException.class,
            () -> generator.generate(List.of(outside), greedy(5, true, List.of()), TOKENIZER));
    assertTrue(e.getMessage().contains("prompt 0"), e.getMessage());
  }

  @Test
  void rowsLeavingAndJoiningARunningBatchChangeNoResult() {
    // a frequent character as the end token makes samples end at many different steps, so the
    // batch sheds finished rows repeatedly; one row at a time never does
    List<TokenSequence> prompts = List.of(prompt("a", "b"), prompt("long prompt ", "x = ("));
    GenerationConfig config =
        new GenerationConfig(30, true, 1.5, 0, 1.0, 5, List.of("+"), 77, true);
    List<List<Completion>> plain = generator.generate(prompts, config, TOKENIZER);
    int[] counts = new int[TOKENIZER.vocabularySize()];
    for (List<Completion> l : plain)
      for (Completion c : l) for (int id : c.tokenIds().toArray()) counts[id]++;
    int frequent = 0;
    for (int id = 0; id < counts.length; id++) if (counts[id] > counts[frequent]) frequent = id;
    CharTokenizer withEnd =
        TOKENIZER
            .withTokenAt(TOKENIZER.specialTokenId("<eot>"), "<old>")
            .withTokenAt(frequent, "<eot>");

    GenerationLoop oneByOne = new GenerationLoop(generator.step(), 1);
    List<List<Completion>> alone = oneByOne.generate(prompts, config, withEnd);
    // 10 places: rows only leave; 4 places: waiting rows join a running batch as others finish
    List<List<Completion>> together =
        new GenerationLoop(generator.step(), 10).generate(prompts, config, withEnd);
    assertEquals(alone, together);
    assertEquals(alone, new GenerationLoop(generator.step(), 4).generate(prompts, config, withEnd));
    Set<Integer> lengths = new HashSet<>();
    Set<FinishReason> reasons = new HashSet<>();
    together.forEach(
        l ->
            l.forEach(
                c -> {
                  lengths.add(c.tokenIds().length());
                  reasons.add(c.finishReason());
                }));
    assertTrue(lengths.size() >= 3, "samples end at different steps: " + lengths);
    assertTrue(reasons.contains(FinishReason.END_TOKEN), reasons.toString());
  }
}

package dev.text2code.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.objective.InfillPrompt;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.backend.pytorch.PyTorchBackend;
import dev.text2code.objectives.infill.CodeGen2Infill;
import dev.text2code.objectives.infill.FillInTheMiddle;
import dev.text2code.objectives.packing.Packer;
import dev.text2code.objectives.packing.PackingOptions;
import dev.text2code.tokenizers.SpecialTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny model trained with character-level FIM (or CodeGen2 span infilling) on four lines of code
 * fills in their middles when asked with the objective's infill prompt: the prompt is the layout
 * the model was trained on, and the trained end token ends the middle.
 */
class InfillingIT {
  private static final int ROW = 96;
  private static final int STEPS = 1000;

  @TempDir Path temp;

  /** Each function's (prefix, middle, suffix) for the infill check. */
  private static final String[][] CUTS = {
    {"a = ", "b + c", "\n"},
    {"print(", "x", ")\n"},
    {"return ", "n * 2", "\n"},
    {"y = f(", "z", ")\n"},
  };

  /**
   * The same lines cut where their tokens meet: CodeGen2 masks whole tokens, so a prefix ending
   * inside a token (a trailing space the BPE joins to the next word) was never seen before a mask.
   */
  private static final String[][] TOKEN_CUTS = {
    {"a =", " b + c", "\n"},
    {"print(", "x", ")\n"},
    {"return", " n * 2", "\n"},
    {"y = f(", "z", ")\n"},
  };

  @Test
  void aFimTrainedModelFillsInTheMiddlesItLearned() {
    Tokenizer tokenizer = Fixtures.tokenizer(temp).withSpecialTokens(SpecialTokens.FIM);
    FillInTheMiddle fim =
        FillInTheMiddle.create(
            tokenizer,
            Settings.of(Map.of("objectives.fim.rate", "1", "objectives.fim.spm-rate", "0")));
    trainAndInfill(
        tokenizer,
        fim,
        CUTS,
        cut -> fim.infillPrompt(NO_HEAD, cut[0], cut[2], FillInTheMiddle.Layout.PSM),
        "<eot>");
  }

  @Test
  void aCodeGen2InfillTrainedModelFillsInTheSpansItLearned() {
    Tokenizer tokenizer =
        Fixtures.tokenizer(temp)
            .withSpecialTokens(SpecialTokens.FIM)
            .withSpecialTokens(SpecialTokens.codeGen2(1));
    CodeGen2Infill infill =
        CodeGen2Infill.create(
            tokenizer, Settings.of(Map.of("objectives.codegen2-infill.max-spans", "1")));
    trainAndInfill(
        tokenizer,
        infill,
        TOKEN_CUTS,
        cut -> infill.infillPrompt(tokenizer, NO_HEAD, cut[0], cut[2]),
        "<eom>");
  }

  private static final TokenSequence NO_HEAD = TokenSequence.of(new int[0], new byte[0], -1);

  /**
   * Trains on the four lines with the objective, then asks for each line's middle with its infill
   * prompt and expects exactly that middle, ended by the trained end token.
   */
  private void trainAndInfill(
      Tokenizer tokenizer,
      Objective objective,
      String[][] cuts,
      java.util.function.Function<String[], InfillPrompt> promptOf,
      String expectedStop) {
    int rows = tokenizer.vocabularySize();
    MappedRouter router = new MappedRouter(Separation.NONE, rows, rows, Map.of());
    ModelSpec spec = new ModelSpec(2, 4, 64, ROW, rows, Separation.NONE, 0.0);
    int eot = tokenizer.specialTokenId("<eot>");
    List<TokenSequence> documents = new ArrayList<>();
    for (String[] cut : cuts) {
      int[] body = tokenizer.encode(cut[0] + cut[1] + cut[2]).toArray();
      int[] ids = Arrays.copyOf(body, body.length + 1);
      ids[body.length] = eot;
      documents.add(TokenSequence.uniform(ids, Modality.CODE));
    }
    PackingOptions packing =
        new PackingOptions(
            ROW, tokenizer.specialTokenId(SpecialTokens.FIM_PAD), PackingOptions.Overflow.DROP);
    TrainingConfig config =
        new TrainingConfig(
            1, 8, 1, STEPS, 3e-3, 3e-4, 20, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
    Path checkpoint = temp.resolve(objective.name());
    double last;
    try (TrainingSession session = new PyTorchBackend().openTraining(spec, config, router)) {
      last = Double.NaN;
      for (int step = 0; step < STEPS; step++) {
        List<TrainingExample> batch = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
          TrainingExample e =
              objective.apply(documents.get(r % 4), new SplittableRandom(step * 8L + r));
          Packer packer = new Packer(packing);
          packer.add(e).ifPresent(row -> batch.add(row.row()));
          packer.flush().ifPresent(row -> batch.add(row.row()));
        }
        last = session.step(batch).loss();
      }
      session.save(checkpoint);
    }
    assertTrue(last < 1.0, "training loss after " + STEPS + " steps: " + last);
    List<TokenSequence> prompts = new ArrayList<>();
    List<String> stops = null;
    for (String[] cut : cuts) {
      InfillPrompt p = promptOf.apply(cut);
      prompts.add(p.tokens());
      stops = p.stopSequences();
    }
    assertEquals(List.of(expectedStop), stops);
    try (Generator g = new PyTorchBackend().openGenerator(checkpoint, Device.CPU)) {
      List<List<Completion>> out =
          g.generate(prompts, GenerationConfig.greedy(40, stops), tokenizer);
      for (int i = 0; i < cuts.length; i++) {
        Completion c = out.get(i).get(0);
        assertEquals(
            cuts[i][1],
            c.text(),
            objective.name() + ": middle of " + cuts[i][0] + "..." + cuts[i][2]);
        assertTrue(c.finishReason() != Completion.FinishReason.MAX_TOKENS, c.toString());
      }
    }
  }
}

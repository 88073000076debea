package dev.text2code.runs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.objective.GenerationNeeds;
import dev.text2code.api.objective.ObjectiveFactory;
import dev.text2code.objectives.ObjectivesModule;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.pairs.PairFormat;
import dev.text2code.tokenizers.tiktoken.TiktokenTokenizer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** generation.prompt-attention: prompts attend the way the run's objective trained the model. */
class PromptAttentionTest {
  private static final Tokenizer TOKENIZER =
      PairFormat.withPaperTokens(TiktokenTokenizer.open("cl100k_base"))
          .withSpecialTokens(SpecialTokens.resolve("paper,fim,codegen2,t5"));

  private static Settings config(String promptAttention) {
    return Settings.of(Map.of("generation.prompt-attention", promptAttention));
  }

  /** What the registered objective of that name declares. */
  private static GenerationNeeds needs(String objective) {
    for (ObjectiveFactory f : ObjectivesModule.baseFactories()) {
      if (f.name().equals(objective)) {
        return f.create(TOKENIZER, Settings.empty()).generationNeeds();
      }
    }
    throw new AssertionError("no objective " + objective);
  }

  @Test
  void autoFollowsWhatTheObjectiveDeclares() {
    Settings auto = config("auto");
    assertTrue(TrainedRun.prefixAttention(auto, needs("prefix-code-clm")));
    assertTrue(TrainedRun.prefixAttention(auto, needs("prefix-lm")));
    assertFalse(TrainedRun.prefixAttention(auto, needs("code-clm")));
    assertFalse(TrainedRun.prefixAttention(auto, needs("clm")));
    assertFalse(TrainedRun.prefixAttention(auto, needs("fim")));
  }

  @Test
  void onlyTheInfillingObjectivesInfillAndOnlyCertReadsCodeFiles() {
    assertTrue(needs("fim").infilling().isPresent());
    assertTrue(needs("codegen2-infill").infilling().isPresent());
    assertFalse(needs("code-clm").infilling().isPresent());
    assertTrue(needs("cert-sketcher").input() == GenerationNeeds.Input.CODE);
    assertTrue(needs("code-clm").input() == GenerationNeeds.Input.PAIRS);
  }

  @Test
  void anExplicitSettingWins() {
    assertTrue(TrainedRun.prefixAttention(config("prefix"), needs("code-clm")));
    assertFalse(TrainedRun.prefixAttention(config("causal"), needs("prefix-code-clm")));
  }

  @Test
  void anUnknownValueNamesTheKeyAndTheValidOnes() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                TrainedRun.prefixAttention(config("bidirectional"), GenerationNeeds.CAUSAL_PAIRS));
    assertTrue(e.getMessage().contains("generation.prompt-attention"), e.getMessage());
    assertTrue(e.getMessage().contains("[auto, causal, prefix]"), e.getMessage());
  }
}

package dev.text2code.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.cli.config.ConfigLoader;
import dev.text2code.cli.config.SdkConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** generation.prompt-attention: prompts attend the way the run's objective trained the model. */
class PromptAttentionTest {
  private static SdkConfig config(String promptAttention) {
    return new ConfigLoader()
        .load(null, Map.of(), Map.of("generation.prompt-attention", promptAttention));
  }

  @Test
  void autoFollowsTheObjective() {
    SdkConfig auto = config("auto");
    assertTrue(GenerateCommand.prefixAttention(auto, "prefix-code-clm"));
    assertTrue(GenerateCommand.prefixAttention(auto, "prefix-lm"));
    assertFalse(GenerateCommand.prefixAttention(auto, "code-clm"));
    assertFalse(GenerateCommand.prefixAttention(auto, "clm"));
    assertFalse(GenerateCommand.prefixAttention(auto, "codegen2-mixture"));
  }

  @Test
  void anExplicitSettingWins() {
    assertTrue(GenerateCommand.prefixAttention(config("prefix"), "code-clm"));
    assertFalse(GenerateCommand.prefixAttention(config("causal"), "prefix-code-clm"));
  }

  @Test
  void anUnknownValueNamesTheKeyAndTheValidOnes() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> GenerateCommand.prefixAttention(config("bidirectional"), "clm"));
    assertTrue(e.getMessage().contains("generation.prompt-attention"), e.getMessage());
    assertTrue(e.getMessage().contains("[auto, causal, prefix]"), e.getMessage());
  }
}

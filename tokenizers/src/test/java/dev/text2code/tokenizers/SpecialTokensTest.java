package dev.text2code.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecialTokensTest {
  @Test
  void paperListHoldsTheMethodsTokens() {
    for (String t :
        List.of(
            "<comments>",
            "<python>",
            "<eot>",
            "<pad>",
            "<mask>",
            "<NEW_LINE>",
            "<INDENT>",
            "<DEDENT>",
            "<eod>",
            "<java>",
            "<cn>")) {
      assertTrue(SpecialTokens.PAPER.contains(t), t);
    }
  }

  @Test
  void generatedFamilies() {
    assertEquals(List.of("<mask_1>", "<mask_2>", "<sep>", "<eom>"), SpecialTokens.codeGen2(2));
    assertEquals(List.of("<extra_id_0>", "<extra_id_1>"), SpecialTokens.t5Sentinels(2));
  }

  @Test
  void resolvesGroupsAndLiteralTokens() {
    List<String> tokens = SpecialTokens.resolve("fim, <repo_name>,fim");
    assertEquals(
        List.of("<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>", "<repo_name>"),
        tokens);
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> SpecialTokens.resolve("paper,bogus"));
    assertTrue(e.getMessage().contains("bogus") && e.getMessage().contains("codegen2"));
  }
}

package dev.text2code.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
  @Test
  void theDocumentedReferenceEqualsTheShippedDefaults() throws Exception {
    Path doc = Path.of("..", "docs", "CONFIGURATION.md");
    String expected = ConfigReference.markdown();
    assertTrue(
        Files.exists(doc),
        "docs/CONFIGURATION.md is missing; write it with: ./sdk-cli info --reference");
    assertEquals(
        expected,
        Files.readString(doc, StandardCharsets.UTF_8),
        "docs/CONFIGURATION.md is stale; regenerate it with: ./sdk-cli info --reference > docs/CONFIGURATION.md");
  }

  @Test
  void everyKeyIsDocumentedWithAComment() {
    for (String line : ConfigReference.markdown().split("\n")) {
      if (line.startsWith("| `")) {
        assertTrue(!line.endsWith("|  |"), "a key without a comment in reference.conf: " + line);
      }
    }
  }
}

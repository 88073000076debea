package dev.text2code.tokenizers.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.tokenizers.Fixtures;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceTokenizerTest {
  private static final HuggingFaceTokenizer RUST =
      HuggingFaceTokenizer.load(Fixtures.trainedTokenizer());
  private static final ByteLevelBpeTokenizer JAVA =
      ByteLevelBpeTokenizer.load(Fixtures.trainedTokenizer());

  @Test
  void runsOfflineAndMatchesTheJavaEncoderOnFixtures() {
    assertEquals("true", System.getProperty("ai.djl.offline"));
    for (String source : Fixtures.pythonSources()) {
      assertArrayEquals(JAVA.encodeToArray(source), RUST.encode(source).toArray());
      assertEquals(source, RUST.decode(RUST.encode(source)));
    }
    assertEquals(JAVA.vocabularySize(), RUST.vocabularySize());
  }

  @Test
  void longInputsAreNeitherTruncatedNorPadded() {
    String big = String.join("\n", java.util.Collections.nCopies(400, "def f(x): return x + 1"));
    TokenIds ids = RUST.encode(big);
    assertTrue(ids.length() > 2000, "got " + ids.length());
    assertEquals(big, RUST.decode(ids));
  }

  @Test
  void addedSpecialTokensMatchTheJavaEncoder() {
    var rust = RUST.withSpecialTokens(SpecialTokens.PAPER);
    var java = JAVA.withSpecialTokens(SpecialTokens.PAPER);
    String text =
        "<comments> Add two numbers.<python>def add(a, b):<NEW_LINE><INDENT>return a+b<eot>";
    assertArrayEquals(java.encodeToArray(text), rust.encode(text).toArray());
    assertEquals(java.specialTokens(), rust.specialTokens());
    assertEquals(text, rust.decode(rust.encode(text)));
    assertEquals(" Add two numbers.def add(a, b):return a+b", rust.decode(rust.encode(text), true));
  }

  @Test
  void rejectsFilesTheRustLibraryCannotRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"model\": {\"type\": \"NoSuchModel\"}}");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> HuggingFaceTokenizer.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void specialTokenListIsKeptInOrder() {
    assertEquals(List.of("<|endoftext|>"), List.copyOf(RUST.specialTokens().keySet()));
  }
}

package dev.text2code.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.tokenizers.Fixtures;
import dev.text2code.tokenizers.SpecialTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelBpeTokenizerTest {
  private final ByteLevelBpeTokenizer tokenizer =
      ByteLevelBpeTokenizer.load(Fixtures.trainedTokenizer());

  @Test
  void roundTripsPythonSourceAndCompressesIt() {
    for (String source : Fixtures.pythonSources()) {
      TokenIds ids = tokenizer.encode(source);
      assertEquals(source, tokenizer.decode(ids));
      // Trained on these files, 500 ids must beat one id per byte by a wide margin.
      assertTrue(
          ids.length() * 2 < source.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void knowsItsVocabularyAndSpellings() {
    assertEquals(500, tokenizer.vocabularySize());
    assertEquals(499, tokenizer.specialTokenId("<|endoftext|>"));
    int spaceReturn = tokenizer.idOf("Ġreturn").orElseThrow();
    assertEquals("Ġreturn", tokenizer.tokenOf(spaceReturn));
    assertEquals(" return", tokenizer.decode(TokenIds.of(spaceReturn)));
    assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenOf(500));
  }

  @Test
  void addedSpecialTokensAreAppendedAndNeverSplit() {
    var extended = tokenizer.withSpecialTokens(SpecialTokens.PAPER);
    assertEquals(500 + SpecialTokens.PAPER.size(), extended.vocabularySize());
    assertEquals(500, extended.specialTokenId(SpecialTokens.PAPER.get(0)));
    int python = extended.specialTokenId("<python>");
    int[] ids = extended.encodeToArray("x<python>def<python><python>");
    assertEquals(3, java.util.Arrays.stream(ids).filter(i -> i == python).count());
    assertEquals("x<python>def<python><python>", extended.decode(TokenIds.of(ids)));
    assertEquals("xdef", extended.decode(TokenIds.of(ids), true));
    // The original is unchanged, and re-adding a known token keeps its id.
    assertEquals(500, tokenizer.vocabularySize());
    assertEquals(
        python, extended.withSpecialTokens(List.of("<python>")).specialTokenId("<python>"));
  }

  @Test
  void unknownSpecialTokenNamesTheKnownOnes() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> tokenizer.specialTokenId("<nope>"));
    assertTrue(e.getMessage().contains("<nope>") && e.getMessage().contains("<|endoftext|>"));
  }

  @Test
  void readsGzipCompressedFilesTheSame(@TempDir Path dir) throws IOException {
    Path gz = dir.resolve("tokenizer.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(Fixtures.trainedTokenizer()));
    }
    var fromGzip = ByteLevelBpeTokenizer.load(gz);
    String text = Fixtures.pythonSources().get(0);
    assertArrayEquals(tokenizer.encodeToArray(text), fromGzip.encodeToArray(text));
  }

  @Test
  void unsupportedModelTypeNamesFileAndKey(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("wordpiece.json");
    Files.writeString(
        file,
        "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}, \"added_tokens\": []}");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ByteLevelBpeTokenizer.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("model.type = WordPiece"), e.getMessage());
  }

  @Test
  void unsupportedPreTokenizerNamesTheKey(@TempDir Path dir) throws IOException {
    String json =
        Files.readString(Fixtures.trainedTokenizer())
            .replaceFirst("\"type\" : \"Split\"", "\"type\" : \"Whitespace\"");
    Path file = dir.resolve("t.json");
    Files.writeString(file, json);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ByteLevelBpeTokenizer.load(file));
    assertTrue(
        e.getMessage().contains("pre_tokenizer.pretokenizers[0].type = Whitespace"),
        e.getMessage());
  }

  @Test
  void missingAndBrokenFilesAreReported(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("none.json");
    assertTrue(
        assertThrows(InvalidInputException.class, () -> ByteLevelBpeTokenizer.load(missing))
            .getMessage()
            .contains(missing.toString()));
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"model\": ");
    assertTrue(
        assertThrows(InvalidInputException.class, () -> ByteLevelBpeTokenizer.load(broken))
            .getMessage()
            .contains("not valid JSON"));
  }
}

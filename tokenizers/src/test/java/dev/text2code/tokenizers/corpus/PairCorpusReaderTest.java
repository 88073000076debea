package dev.text2code.tokenizers.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TextCodePair;
import dev.text2code.tokenizers.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairCorpusReaderTest {
  private final PairCorpusReader reader = new PairCorpusReader();

  private List<TextCodePair> read(Path file, SkipReport skips) {
    List<TextCodePair> pairs = new ArrayList<>();
    reader.read(file, skips, pairs::add);
    return pairs;
  }

  @Test
  void paperFormatWithCountedSkips() {
    SkipReport skips = new SkipReport();
    Path file = Fixtures.resource("pairs-paper.jsonl");
    List<TextCodePair> pairs = read(file, skips);
    assertEquals(List.of("a1", "a3", "a5"), pairs.stream().map(TextCodePair::id).toList());
    assertEquals("Add two numbers.", pairs.get(0).text());
    assertTrue(pairs.get(0).code().startsWith("def add(a, b): <NEW_LINE>"));
    assertEquals(3, skips.accepted());
    assertEquals(3, skips.skipped());
    assertEquals(1, skips.countsByReason().get("empty text"));
    assertEquals(1, skips.countsByReason().get("not valid JSON"));
    assertEquals(
        1,
        skips.countsByReason().get("no text field (docstring, rewritten_intent, intent or text)"));
    assertTrue(skips.summary().contains(file + ":3"), skips.summary());
  }

  @Test
  void conalaPrefersTheRewrittenIntent() {
    SkipReport skips = new SkipReport();
    List<TextCodePair> pairs = read(Fixtures.resource("conala.json"), skips);
    assertEquals(2, pairs.size());
    assertEquals("convert list of strings `xs` to integers", pairs.get(0).text());
    assertEquals("[int(x) for x in xs]", pairs.get(0).code());
    assertEquals("1", pairs.get(0).id());
    assertEquals("Reverse a string", pairs.get(1).text());
    assertEquals(1, skips.countsByReason().get("empty code"));
  }

  @Test
  void mbppTextAndCode() {
    List<TextCodePair> pairs = read(Fixtures.resource("mbpp.jsonl"), new SkipReport());
    assertEquals(2, pairs.size());
    assertEquals("11", pairs.get(0).id());
    assertTrue(pairs.get(0).code().contains("\r\n"), "CRLF is kept as it is");
  }

  @Test
  void invalidUtf8IsACountedSkip() {
    SkipReport skips = new SkipReport();
    List<TextCodePair> pairs = read(Fixtures.resource("pairs-bad-utf8.jsonl"), skips);
    assertEquals(1, pairs.size());
    assertEquals(1, skips.countsByReason().get("invalid UTF-8"));
  }

  @Test
  void gzipFilesAreRead(@TempDir Path dir) throws IOException {
    Path gz = dir.resolve("pairs.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(Fixtures.resource("mbpp.jsonl")));
    }
    assertEquals(2, read(gz, new SkipReport()).size());
  }

  @Test
  void writerOutputReadsBack(@TempDir Path dir) {
    Path file = dir.resolve("out/pairs.jsonl");
    List<TextCodePair> pairs = read(Fixtures.resource("conala.json"), new SkipReport());
    try (PairCorpusWriter writer = new PairCorpusWriter(file)) {
      pairs.forEach(writer::write);
      assertTrue(Files.notExists(file), "the file appears only when complete");
    }
    assertEquals(pairs, read(file, new SkipReport()));
  }

  @Test
  void missingFileIsAnError(@TempDir Path dir) {
    assertThrows(
        InvalidInputException.class, () -> read(dir.resolve("none.jsonl"), new SkipReport()));
  }
}

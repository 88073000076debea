package dev.text2code.tokenizers.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Optional;
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
        skips
            .countsByReason()
            .get("no text field (docstring, rewritten_intent, intent, text or nl)"));
    assertTrue(skips.summary().contains(file + ":3"), skips.summary());
  }

  /** Lines 2-8 are bad in seven ways; lines 1 and 9 are good. */
  private static Path badRecords(Path dir) throws IOException {
    return Files.writeString(
        dir.resolve("bad.jsonl"),
        String.join(
            "\n",
            "{\"docstring\": \"Add.\", \"code\": \"def add(a, b): return a + b\"}",
            "{\"docstring\": 42, \"code\": [\"not\", \"a\", \"string\"]}",
            "{\"docstring\": \"Ok.\", \"code\": [\"not\", \"a\", \"string\"]}",
            "{\"docstring\": {\"en\": \"x\"}, \"code\": \"x = 1\"}",
            "{\"docstring\": \"Ok.\", \"code\": true}",
            "{\"docstring\": \"Ok.\", \"code\": \"y = 2\", \"id\": [1]}",
            "[\"docstring\", \"code\"]",
            "{\"docstring\": \"Ok.\"",
            "{\"text\": \"Sub.\", \"code\": \"def sub(a, b): return a - b\", \"task_id\": 7}",
            ""));
  }

  @Test
  void fieldsOfTheWrongJsonTypeAreRejectedWithTheReason(@TempDir Path dir) throws IOException {
    SkipReport skips = new SkipReport();
    Path file = badRecords(dir);
    List<TextCodePair> pairs = read(file, skips);
    assertEquals(
        List.of("bad.jsonl:1", "7"),
        pairs.stream().map(p -> p.id().replace(dir + "/", "")).toList());
    assertEquals(
        List.of(
            new SkipReport.Skip(file + ":2", "field docstring is a number, expected a string"),
            new SkipReport.Skip(file + ":3", "field code is an array, expected a string"),
            new SkipReport.Skip(file + ":4", "field docstring is an object, expected a string"),
            new SkipReport.Skip(file + ":5", "field code is a boolean, expected a string"),
            new SkipReport.Skip(
                file + ":6", "field id is an array, expected a string or an integer"),
            new SkipReport.Skip(file + ":7", "not a JSON object but an array"),
            new SkipReport.Skip(file + ":8", "not valid JSON")),
        skips.examples());
  }

  @Test
  void everySkipGoesToTheRejectsFileWithFileLineAndReason(@TempDir Path dir) throws IOException {
    Path file = badRecords(dir);
    Path rejects = dir.resolve("run/rejects.jsonl");
    List<TextCodePair> pairs;
    try (SkipReport skips = SkipReport.writingTo(rejects, false)) {
      pairs = read(file, skips);
      // more than the report keeps as examples of one reason
      for (int i = 0; i < 8; i++) skips.skip("other.jsonl:" + i, "not valid JSON");
      assertEquals(Optional.of(rejects), skips.rejectsFile());
    }
    assertEquals(2, pairs.size());
    List<String> lines = Files.readAllLines(rejects);
    assertEquals(15, lines.size());
    assertEquals(
        "{\"where\":\""
            + file
            + ":2\",\"reason\":\"field docstring is a number, expected a"
            + " string\"}",
        lines.get(0));
    assertEquals("{\"where\":\"other.jsonl:7\",\"reason\":\"not valid JSON\"}", lines.get(14));
    assertFalse(Files.exists(dir.resolve("run/rejects.jsonl.part")));
  }

  @Test
  void strictReadingStopsAtTheFirstBadRecordNamingFileAndLine(@TempDir Path dir)
      throws IOException {
    Path file = badRecords(dir);
    List<TextCodePair> pairs = new ArrayList<>();
    Path rejects = dir.resolve("rejects.jsonl");
    var error =
        assertThrows(
            InvalidInputException.class,
            () -> reader.read(file, SkipReport.writingTo(rejects, true), pairs::add));
    assertTrue(
        error.getMessage().startsWith(file + ":2: field docstring is a number, expected a string"),
        error.getMessage());
    assertEquals(1, pairs.size(), "the good record before it was read");
    assertEquals(1, Files.readAllLines(rejects).size());
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

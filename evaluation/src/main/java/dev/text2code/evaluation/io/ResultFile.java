package dev.text2code.evaluation.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.InvalidInputException;
import dev.text2code.evaluation.problems.JsonLines;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * human-eval results ({@code <samples>_results.jsonl}: each sample line plus {@code result} and
 * {@code passed}), written so that a killed run resumes without losing or duplicating a result.
 *
 * <p>While a run is going, every finished sample is appended (and flushed) to a journal next to the
 * results file, tagged with its sample index. {@link #open} reads the journal back (a torn last
 * line from a kill is cut off), so the caller skips those samples. {@link #finish} writes the
 * results file in sample order atomically and deletes the journal.
 */
public final class ResultFile implements AutoCloseable {
  private static final String INDEX = "sample_index";

  private final Path file;
  private final Path journal;
  private final Map<Integer, SampleResult> done = new TreeMap<>();
  private final OutputStream out;

  private ResultFile(Path file) throws IOException {
    this.file = file;
    this.journal = journalOf(file);
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (Files.exists(journal)) {
      recover();
    }
    this.out =
        Files.newOutputStream(
            journal,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.WRITE);
  }

  /** Opens (or resumes) the results of a run; {@code file} is the final results path. */
  public static ResultFile open(Path file) {
    try {
      return new ResultFile(file);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot open results journal: " + e.getMessage(), e);
    }
  }

  /** The journal kept while a run is in progress. */
  public static Path journalOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".partial");
  }

  /** Results already recorded, by sample index (from an earlier, interrupted run). */
  public synchronized Map<Integer, SampleResult> completed() {
    return Map.copyOf(done);
  }

  /** Appends one result to the journal and flushes it; a second result for an index is an error. */
  public synchronized void append(SampleResult result) {
    if (done.containsKey(result.sampleIndex())) {
      throw new IllegalStateException("sample " + result.sampleIndex() + " already has a result");
    }
    ObjectNode line = result.toJson();
    line.put(INDEX, result.sampleIndex());
    try {
      out.write(
          (JsonLines.mapper().writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new InvalidInputException(journal + ": cannot append a result: " + e.getMessage(), e);
    }
    done.put(result.sampleIndex(), result);
  }

  /**
   * Writes the final results file in sample order (atomically) once every one of {@code
   * sampleCount} samples has a result, and removes the journal.
   */
  public synchronized List<SampleResult> finish(int sampleCount) {
    if (done.size() != sampleCount) {
      throw new IllegalStateException(
          "only " + done.size() + " of " + sampleCount + " samples have results; resume the run");
    }
    List<SampleResult> ordered = new ArrayList<>(done.values());
    ordered.sort(Comparator.comparingInt(SampleResult::sampleIndex));
    SampleFile.writeAtomically(file, ordered.stream().map(SampleResult::toJson).toList());
    try {
      out.close();
      Files.deleteIfExists(journal);
    } catch (IOException e) {
      throw new InvalidInputException(journal + ": cannot be removed: " + e.getMessage(), e);
    }
    return ordered;
  }

  /** Reads a finished results file (sample order). */
  public static List<SampleResult> read(Path file) {
    List<SampleResult> results = new ArrayList<>();
    int index = 0;
    for (JsonLines.Line line : JsonLines.read(file)) {
      results.add(parse(file, line.node(), line.lineNumber(), index++));
    }
    return results;
  }

  private void recover() throws IOException {
    byte[] bytes = Files.readAllBytes(journal);
    int goodEnd = 0;
    long lineNumber = 0;
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      lineNumber++;
      String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      start = i + 1;
      if (text.isBlank()) {
        goodEnd = start;
        continue;
      }
      JsonNode node;
      try {
        node = JsonLines.mapper().readTree(text);
      } catch (JsonProcessingException e) {
        throw InvalidInputException.at(journal, lineNumber, "corrupt results journal line");
      }
      if (!node.has(INDEX)) {
        throw InvalidInputException.at(journal, lineNumber, "missing \"" + INDEX + "\"");
      }
      int index = node.get(INDEX).asInt();
      ((ObjectNode) node).remove(INDEX);
      if (done.put(index, parse(journal, node, lineNumber, index)) != null) {
        throw InvalidInputException.at(journal, lineNumber, "duplicate result for sample " + index);
      }
      goodEnd = start;
    }
    if (goodEnd < bytes.length) {
      // The run was killed mid-line: drop the torn tail so appends start on a clean line.
      try (RandomAccessFile raf = new RandomAccessFile(journal.toFile(), "rw")) {
        raf.setLength(goodEnd);
      }
    }
  }

  private static SampleResult parse(Path file, JsonNode node, long lineNumber, int index) {
    if (!node.has("result") || !node.has("passed") || !node.has("task_id")) {
      throw InvalidInputException.at(
          file, lineNumber, "a result line needs task_id, completion, result and passed");
    }
    ObjectNode fields = (ObjectNode) node.deepCopy();
    String result = fields.remove("result").asText();
    boolean passed = fields.remove("passed").asBoolean();
    Sample sample =
        new Sample(fields.get("task_id").asText(), fields.path("completion").asText(""), fields);
    return new SampleResult(index, sample, result, passed);
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new InvalidInputException(journal + ": cannot be closed: " + e.getMessage(), e);
    }
  }
}

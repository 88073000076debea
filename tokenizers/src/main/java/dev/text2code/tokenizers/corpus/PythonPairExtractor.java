package dev.text2code.tokenizers.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TextCodePair;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Extracts docstring-function pairs from a tree of Python source files with Python's own parser
 * ({@code ast}), run in one long-lived {@code python3} process for the whole tree. Every function
 * and method with a docstring gives a pair: the cleaned docstring, and the function's code
 * (decorators left out, dedented, the docstring statement removed). Files that do not parse are
 * counted skips naming the file and line. Close it to end the Python process.
 */
public final class PythonPairExtractor implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final BufferedWriter requests;
  private final BufferedReader answers;

  /** Starts {@code python3}. */
  public PythonPairExtractor() {
    this("python3");
  }

  /** Starts the given Python 3.8+ interpreter. */
  public PythonPairExtractor(String python) {
    String script;
    try (InputStream in = PythonPairExtractor.class.getResourceAsStream("extract_pairs.py")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("resource extract_pairs.py is missing", e);
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(python, "-u", "-c", script);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("PYTHONIOENCODING", "utf-8");
      process = pb.start();
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "cannot start "
              + python
              + " to parse Python sources ("
              + e.getMessage()
              + "); install Python 3.8 or later or name another interpreter",
          e);
    }
    requests =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Every {@code .py} file under {@code root}, sorted, so runs are reproducible. */
  public static List<Path> pythonFiles(Path root) {
    if (Files.isRegularFile(root)) return List.of(root);
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".py") && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new InvalidInputException(root + ": cannot list Python files: " + e.getMessage(), e);
    }
  }

  /** Extracts the pairs of every file under {@code root}, in file and line order. */
  public void extractTree(Path root, SkipReport skips, Consumer<TextCodePair> sink) {
    for (Path file : pythonFiles(root)) {
      extractFile(file, root, skips, sink);
    }
  }

  /**
   * Extracts the pairs of one file; ids are {@code relative/path.py:line:qualified.name}.
   *
   * @param root the folder ids are relative to
   */
  public synchronized void extractFile(
      Path file, Path root, SkipReport skips, Consumer<TextCodePair> sink) {
    String relative =
        Files.isDirectory(root) ? root.relativize(file).toString() : file.getFileName().toString();
    JsonNode answer;
    try {
      requests.write(JSON.writeValueAsString(file.toAbsolutePath().toString()));
      requests.newLine();
      requests.flush();
      String line = answers.readLine();
      if (line == null) {
        throw new BackendUnavailableException(
            "the Python parser process ended while reading "
                + file
                + " (exit code "
                + (process.isAlive() ? "none" : process.exitValue())
                + ")");
      }
      answer = JSON.readTree(line);
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "lost the Python parser process while reading " + file + ": " + e.getMessage(), e);
    }
    if (answer.has("error")) {
      JsonNode line = answer.path("line");
      skips.skip(
          file + (line.isInt() ? ":" + line.asInt() : ""),
          "unparsable Python file (" + answer.get("error").asText() + ")");
      return;
    }
    for (JsonNode s : answer.path("skipped")) {
      skips.skip(file + ":" + s.path("line").asInt(), s.path("reason").asText());
    }
    for (JsonNode p : answer.path("pairs")) {
      String id = relative + ":" + p.path("line").asInt() + ":" + p.path("name").asText();
      skips.accept();
      sink.accept(TextCodePair.python(id, p.path("docstring").asText(), p.path("code").asText()));
    }
  }

  @Override
  public void close() {
    try {
      requests.close();
    } catch (IOException e) {
      // the process is going away anyway
    }
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroy();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
    }
  }
}

package dev.text2code.objectives.cert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Text2CodeException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CERT's {@code transform_code_to_sketch}, done by Python's own {@code ast} and {@code tokenize}
 * modules in one long-lived {@code python3} process (requests are batched through its pipes).
 *
 * <p>Rules (docs/METHODS.md §2.1): def names become {@code func}, class names {@code AnClass};
 * decimal ints {@code number}, floats {@code float}, floats with an exponent {@code floatexponant},
 * imaginary literals {@code complex}; plain strings {@code string} unless they contain triple
 * quotes (docstrings are kept); r-, u-, b-, f- and fr-strings {@code rawstring}, {@code
 * unicodestring}, {@code binarystring}, {@code interstring}, {@code interrawstring}. Hex, octal and
 * binary ints and rb-strings stay, as in RedBaron. Other names are not touched. Placeholders carry
 * no quotes. Files that do not parse yield a failed {@link SketchResult}.
 *
 * <p>Thread-safe; {@link #close()} ends the process.
 */
public final class PythonSketcher implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String python;
  private Process process;
  private BufferedWriter toPython;
  private BufferedReader fromPython;

  /**
   * @param python the interpreter command, for example {@code python3} (3.8 or later)
   */
  public PythonSketcher(String python) {
    this.python = python;
  }

  /** Sketches one file. */
  public SketchResult sketch(String code) {
    return sketchAll(List.of(code)).get(0);
  }

  /** Sketches many files in one batch, in order. */
  public synchronized List<SketchResult> sketchAll(List<String> files) {
    ensureStarted();
    List<SketchResult> results = new ArrayList<>(files.size());
    try {
      // Write and read in step, in chunks, so neither pipe fills up while the other side waits.
      int chunk = 64;
      for (int from = 0; from < files.size(); from += chunk) {
        int to = Math.min(files.size(), from + chunk);
        for (int i = from; i < to; i++) {
          toPython.write(JSON.writeValueAsString(Map.of("code", files.get(i))));
          toPython.write('\n');
        }
        toPython.flush();
        for (int i = from; i < to; i++) results.add(parse(fromPython.readLine()));
      }
      return results;
    } catch (IOException e) {
      close();
      throw new Text2CodeException(
          "the " + python + " sketching process failed: " + e.getMessage(), e);
    }
  }

  private SketchResult parse(String line) throws IOException {
    if (line == null) {
      throw new IOException("the process ended early (exit " + exitCode() + ")");
    }
    JsonNode reply = JSON.readTree(line);
    if (reply.path("ok").asBoolean()) {
      return SketchResult.of(
          new Sketch(reply.path("normalised").asText(), reply.path("sketch").asText()));
    }
    return SketchResult.failed(reply.path("error").asText(), reply.path("line").asInt());
  }

  private String exitCode() {
    try {
      return String.valueOf(process.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private void ensureStarted() {
    if (process != null && process.isAlive()) return;
    try {
      Path script = Files.createTempFile("t2c-sketch", ".py");
      script.toFile().deleteOnExit();
      try (InputStream in = PythonSketcher.class.getResourceAsStream("sketch.py")) {
        if (in == null) throw new IOException("resource sketch.py is missing from the jar");
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      ProcessBuilder builder = new ProcessBuilder(python, "-I", script.toString());
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().put("PYTHONIOENCODING", "utf-8");
      process = builder.start();
      toPython =
          new BufferedWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      fromPython =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigurationException(
          "CERT sketching needs a Python 3 interpreter; could not start '"
              + python
              + "' ("
              + e.getMessage()
              + "). Install python3 or set objectives.cert-sketcher.python",
          e);
    }
  }

  /** Whether the interpreter can be started (for tests and diagnostics). */
  public static boolean available(String python) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import ast, tokenize").start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (process == null) return;
    try {
      toPython.close();
    } catch (IOException e) {
      // the process is going away either way
    }
    process.destroy();
    process = null;
  }
}

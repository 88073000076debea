package dev.text2code.evaluation.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.CodeExecutionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the sandbox needs to know about a Python interpreter, asked once from the interpreter
 * itself: the real executable behind any shim (pyenv's are shell scripts, slow to start), its
 * installation prefixes (made visible in the sandbox) and its site-packages directories (added to
 * {@code sys.path} explicitly because samples run with {@code -I -S}, which starts 3x faster).
 */
public record PythonInterpreter(
    Path executable, List<Path> prefixes, List<Path> siteDirectories, String version) {

  private static final String PROBE =
      "import json, site, sys\n"
          + "print(json.dumps({'executable': sys.executable, 'prefix': sys.prefix,"
          + " 'base_prefix': sys.base_prefix, 'site': site.getsitepackages(),"
          + " 'version': sys.version.split()[0], 'major': sys.version_info[0]}))\n";

  public PythonInterpreter {
    prefixes = List.copyOf(prefixes);
    siteDirectories = List.copyOf(siteDirectories);
  }

  /** Starts {@code interpreter} once, unsandboxed (it is the user's own, trusted executable). */
  public static PythonInterpreter probe(String interpreter) {
    Process process;
    try {
      process =
          new ProcessBuilder(interpreter, "-c", PROBE)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
    } catch (IOException e) {
      throw new CodeExecutionException(
          "sandbox interpreter '"
              + interpreter
              + "' cannot be started ("
              + e.getMessage()
              + "); set it to a Python 3 executable name on PATH or an absolute path",
          e);
    }
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new CodeExecutionException(
            "sandbox interpreter '"
                + interpreter
                + "' failed its start-up probe: "
                + output.strip());
      }
      String json = output.strip();
      json = json.substring(json.lastIndexOf('\n') + 1);
      JsonNode node = new ObjectMapper().readTree(json);
      if (node.get("major").asInt() != 3) {
        throw new CodeExecutionException(
            "sandbox interpreter '"
                + interpreter
                + "' is Python "
                + node.get("version").asText()
                + "; Python 3 is required");
      }
      List<Path> prefixes = new ArrayList<>();
      for (String key : List.of("prefix", "base_prefix")) {
        Path prefix = Path.of(node.get(key).asText());
        if (!prefixes.contains(prefix)) {
          prefixes.add(prefix);
        }
      }
      List<Path> sites = new ArrayList<>();
      node.get("site")
          .forEach(
              site -> {
                Path dir = Path.of(site.asText());
                if (Files.isDirectory(dir)) {
                  sites.add(dir);
                }
              });
      return new PythonInterpreter(
          Path.of(node.get("executable").asText()), prefixes, sites, node.get("version").asText());
    } catch (IOException e) {
      throw new CodeExecutionException(
          "sandbox interpreter '" + interpreter + "' answered its probe unreadably", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new CodeExecutionException("interrupted while probing '" + interpreter + "'", e);
    }
  }
}

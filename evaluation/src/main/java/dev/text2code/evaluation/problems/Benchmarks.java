package dev.text2code.evaluation.problems;

import dev.text2code.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Benchmarks by name, located under a data directory laid out like the project's {@code
 * shared/data}: {@code humaneval}, {@code mbpp} (full, test split 11–510), {@code mbpp-sanitized}
 * (test split), {@code pandaseval}, {@code numpyeval}, {@code humaneval-plus} (EvalPlus's
 * HumanEval+ with base and plus inputs; {@link #baseTests} gives its base-only twin); any other
 * value is read as a path to a HumanEval-format {@code .jsonl} or {@code .jsonl.gz}.
 */
public final class Benchmarks {
  private Benchmarks() {}

  /** Name -> file relative to the data directory. */
  public static final Map<String, String> FILES;

  static {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("humaneval", "humaneval/HumanEval.jsonl.gz");
    files.put("mbpp", "mbpp/mbpp.jsonl");
    files.put("mbpp-sanitized", "mbpp/sanitized-mbpp.json");
    files.put("pandaseval", "pandas-numpy-eval/PandasEval.jsonl.gz");
    files.put("numpyeval", "pandas-numpy-eval/NumpyEval.jsonl.gz");
    files.put("humaneval-plus", "evalplus/HumanEvalPlus.jsonl.gz");
    FILES = java.util.Collections.unmodifiableMap(files);
  }

  /** Loads a benchmark by name or path (HumanEval+ with its default per-input limits). */
  public static Map<String, Problem> load(String nameOrPath, Path dataDirectory) {
    return load(nameOrPath, dataDirectory, HumanEvalPlus.InputLimits.defaults());
  }

  /**
   * The base-tests-only twin of a benchmark that has one ({@code humaneval-plus}), reported beside
   * it as EvalPlus does; empty for the others.
   */
  public static java.util.Optional<Map<String, Problem>> baseTests(
      String name, Path dataDirectory, HumanEvalPlus.InputLimits limits) {
    if (!name.equals("humaneval-plus")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        HumanEvalPlus.load(file(name, dataDirectory), HumanEvalPlus.Tests.BASE, limits));
  }

  /** The data file of a named benchmark, or the path itself. */
  public static Path file(String nameOrPath, Path dataDirectory) {
    String relative = FILES.get(nameOrPath);
    return relative == null ? Path.of(nameOrPath) : dataDirectory.resolve(relative);
  }

  /** Loads a benchmark by name or path; {@code limits} are HumanEval+'s per-input limits. */
  public static Map<String, Problem> load(
      String nameOrPath, Path dataDirectory, HumanEvalPlus.InputLimits limits) {
    String relative = FILES.get(nameOrPath);
    if (relative == null) {
      Path file = Path.of(nameOrPath);
      if (!Files.isRegularFile(file)) {
        throw new ConfigurationException(
            "benchmark "
                + nameOrPath
                + " is neither a known name ("
                + String.join(", ", FILES.keySet())
                + ") nor an existing HumanEval-format .jsonl file");
      }
      return HumanEval.load(file);
    }
    Path file = dataDirectory.resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new ConfigurationException(
          "benchmark "
              + nameOrPath
              + " needs "
              + file
              + ", which does not exist; set evaluation.data-dir to a "
              + "directory holding "
              + relative);
    }
    return switch (nameOrPath) {
      case "humaneval" -> HumanEval.load(file);
      case "mbpp" -> Mbpp.loadFull(file, Mbpp.Split.TEST);
      case "mbpp-sanitized" -> Mbpp.loadSanitized(file, Mbpp.Split.TEST);
      case "humaneval-plus" -> HumanEvalPlus.load(file, HumanEvalPlus.Tests.BASE_AND_PLUS, limits);
      default -> PandasNumpyEval.load(file);
    };
  }
}

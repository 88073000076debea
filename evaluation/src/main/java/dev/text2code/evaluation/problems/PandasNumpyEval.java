package dev.text2code.evaluation.problems;

import dev.text2code.api.InvalidInputException;
import dev.text2code.evaluation.execution.ExecutionResult;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads CERT's PandasEval / NumpyEval ({@code PandasEval.jsonl.gz}, {@code NumpyEval.jsonl.gz}).
 * Their {@code canonical_solution} is a list of alternatives (the first is kept); problems with
 * entry point "none" are script-style and checked with {@code check()}. Each problem requires the
 * library its task id names plus any of pandas/numpy its code imports (two NumpyEval problems
 * import pandas), which {@link #missingModule} checks in the sandbox interpreter.
 */
public final class PandasNumpyEval {
  private PandasNumpyEval() {}

  public static Map<String, Problem> load(Path file) {
    Map<String, Problem> problems = new LinkedHashMap<>();
    for (JsonLines.Line line : JsonLines.read(file)) {
      String taskId = JsonLines.text(file, line, "task_id");
      List<String> solutions = JsonLines.texts(file, line, "canonical_solution");
      String prompt = JsonLines.text(file, line, "prompt");
      String test = JsonLines.text(file, line, "test");
      Problem problem =
          new Problem(
              taskId,
              prompt,
              solutions.isEmpty() ? "" : solutions.get(0),
              "",
              test,
              JsonLines.text(file, line, "entry_point"),
              librariesUsed(taskId, prompt + "\n" + test));
      if (problems.put(taskId, problem) != null) {
        throw InvalidInputException.at(
            file, line.lineNumber(), "duplicate task_id \"" + taskId + "\"");
      }
    }
    return problems;
  }

  /** pandas and/or numpy: the one the benchmark is named after plus any the code imports. */
  static List<String> librariesUsed(String taskId, String code) {
    List<String> modules = new java.util.ArrayList<>();
    for (String library : List.of("pandas", "numpy")) {
      boolean named = taskId.toLowerCase(java.util.Locale.ROOT).startsWith(library);
      if (named || IMPORTS.get(library).matcher(code).find()) {
        modules.add(library);
      }
    }
    return modules;
  }

  private static final Map<String, java.util.regex.Pattern> IMPORTS =
      Map.of(
          "pandas", java.util.regex.Pattern.compile("(?m)^\\s*(import|from)\\s+pandas\\b"),
          "numpy", java.util.regex.Pattern.compile("(?m)^\\s*(import|from)\\s+numpy\\b"));

  /**
   * The first of {@code modules} the sandbox interpreter cannot import, with a message saying so;
   * empty when all are importable.
   */
  public static Optional<String> missingModule(SandboxedExecutor executor, List<String> modules) {
    for (String module : modules) {
      ExecutionResult result = executor.execute("import " + module + "\n");
      if (!result.passed()) {
        return Optional.of(
            "the sandbox interpreter "
                + executor.interpreter().executable()
                + " cannot import '"
                + module
                + "' ("
                + result.resultText()
                + "); install it (pip install "
                + module
                + ") or set the sandbox interpreter to one that has it");
      }
    }
    return Optional.empty();
  }
}

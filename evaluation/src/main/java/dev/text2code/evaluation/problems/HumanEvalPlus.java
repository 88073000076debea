package dev.text2code.evaluation.problems;

import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EvalPlus's HumanEval+ release ({@code HumanEvalPlus.jsonl.gz}: task_id, prompt, entry_point,
 * canonical_solution, base_input, plus_input, atol) as problems whose {@code check(candidate)}
 * follows EvalPlus: the candidate is called on every input and compared with the canonical
 * solution's output on that input (floats within the task's {@code atol}, at least 1e-6 for float
 * outputs; HumanEval/32 by the polynomial's value at the returned root), each call under its own
 * limit of max(floor, factor × the canonical solution's time on that input), measured in the same
 * sandboxed process just before.
 *
 * <p>{@link Tests#BASE} checks the original HumanEval inputs only, {@link Tests#BASE_AND_PLUS} all
 * of them: EvalPlus reports pass@k for both side by side.
 */
public final class HumanEvalPlus {
  private HumanEvalPlus() {}

  /** Which of a task's inputs are checked. */
  public enum Tests {
    /** The original HumanEval inputs ({@code base_input}). */
    BASE,
    /** The original and EvalPlus's added inputs ({@code base_input} then {@code plus_input}). */
    BASE_AND_PLUS
  }

  /**
   * Per-input time limits: {@code max(floorSeconds, factor × reference time)}.
   *
   * @param floorSeconds the least time one input is given (EvalPlus: 1 s to 4 s by version)
   * @param factor multiple of the canonical solution's time on the input (EvalPlus: 4)
   */
  public record InputLimits(double floorSeconds, double factor) {
    public InputLimits {
      ConfigurationException.require(
          floorSeconds > 0 && floorSeconds <= 600, "floorSeconds", floorSeconds, "in (0, 600]");
      ConfigurationException.require(factor >= 1 && factor <= 100, "factor", factor, "1..100");
    }

    /** EvalPlus's factor 4 with a 1 s floor per input. */
    public static InputLimits defaults() {
      return new InputLimits(1.0, 4.0);
    }
  }

  private static final String HARNESS = harness();

  /** Problems by task id, in file order, checking {@code tests} under {@code limits}. */
  public static Map<String, Problem> load(Path file, Tests tests, InputLimits limits) {
    Map<String, Problem> problems = new LinkedHashMap<>();
    for (JsonLines.Line line : JsonLines.read(file)) {
      String taskId = JsonLines.text(file, line, "task_id");
      String prompt = JsonLines.text(file, line, "prompt");
      String canonical = JsonLines.text(file, line, "canonical_solution");
      String entryPoint = JsonLines.text(file, line, "entry_point");
      JsonNode atol = line.node().get("atol");
      if (atol == null || !atol.isNumber() || atol.asDouble() < 0) {
        throw InvalidInputException.at(
            file, line.lineNumber(), taskId + ": atol must be a number >= 0, got " + atol);
      }
      List<String[]> groups = new ArrayList<>();
      groups.add(new String[] {"base", inputs(file, line, taskId, "base_input")});
      if (tests == Tests.BASE_AND_PLUS) {
        groups.add(new String[] {"plus", inputs(file, line, taskId, "plus_input")});
      }
      String test = HARNESS + "\n\n" + check(prompt + canonical, entryPoint, groups, atol, limits);
      Problem problem = new Problem(taskId, prompt, canonical, test, entryPoint);
      if (problems.put(taskId, problem) != null) {
        throw InvalidInputException.at(file, line.lineNumber(), "duplicate task_id " + taskId);
      }
    }
    if (problems.isEmpty()) {
      throw InvalidInputException.at(file, 0, "contains no problems");
    }
    return problems;
  }

  /** The inputs of {@code key}, a JSON array of argument lists, as base64 of their JSON text. */
  private static String inputs(Path file, JsonLines.Line line, String taskId, String key) {
    JsonNode inputs = line.node().get(key);
    if (inputs == null || !inputs.isArray()) {
      throw InvalidInputException.at(
          file, line.lineNumber(), taskId + ": " + key + " must be an array of argument lists");
    }
    for (JsonNode arguments : inputs) {
      if (!arguments.isArray()) {
        throw InvalidInputException.at(
            file,
            line.lineNumber(),
            taskId + ": every " + key + " entry must be an argument list, got " + arguments);
      }
    }
    return base64(inputs.toString());
  }

  private static String check(
      String reference, String entryPoint, List<String[]> groups, JsonNode atol, InputLimits l) {
    StringBuilder groupList = new StringBuilder("[");
    for (String[] group : groups) {
      groupList.append("(\"").append(group[0]).append("\", \"").append(group[1]).append("\"), ");
    }
    groupList.append("]");
    return "def check(candidate):\n"
        + "    import base64\n"
        + "    _t2c_check(candidate, base64.b64decode(\""
        + base64(reference)
        + "\").decode(\"utf-8\"), "
        + pythonString(entryPoint)
        + ", "
        + groupList
        + ", "
        + String.format(Locale.ROOT, "%.17g", atol.asDouble())
        + ", "
        + String.format(Locale.ROOT, "%.17g", l.floorSeconds())
        + ", "
        + String.format(Locale.ROOT, "%.17g", l.factor())
        + ")\n";
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String pythonString(String text) {
    if (!text.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new InvalidInputException("entry_point " + text + " is not a Python identifier");
    }
    return "\"" + text + "\"";
  }

  private static String harness() {
    try (InputStream in = HumanEvalPlus.class.getResourceAsStream("evalplus_harness.py")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

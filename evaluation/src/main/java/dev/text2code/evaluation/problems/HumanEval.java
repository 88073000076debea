package dev.text2code.evaluation.problems;

import dev.text2code.api.InvalidInputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads openai/human-eval problem files ({@code HumanEval.jsonl.gz}, {@code example_problem.jsonl})
 * and the human-eval-infilling variant, whose records also carry a {@code suffix}.
 */
public final class HumanEval {
  private HumanEval() {}

  /**
   * Problems by task id, in file order. Keys: task_id, prompt, canonical_solution, test,
   * entry_point.
   */
  public static Map<String, Problem> load(Path file) {
    Map<String, Problem> problems = new LinkedHashMap<>();
    for (JsonLines.Line line : JsonLines.read(file)) {
      Problem problem =
          new Problem(
              JsonLines.text(file, line, "task_id"),
              JsonLines.text(file, line, "prompt"),
              JsonLines.optionalText(line, "canonical_solution", ""),
              JsonLines.optionalText(line, "suffix", ""),
              JsonLines.text(file, line, "test"),
              JsonLines.text(file, line, "entry_point"),
              List.of());
      if (problems.put(problem.taskId(), problem) != null) {
        throw InvalidInputException.at(
            file, line.lineNumber(), "duplicate task_id \"" + problem.taskId() + "\"");
      }
    }
    if (problems.isEmpty()) {
      throw InvalidInputException.at(file, 0, "contains no problems");
    }
    return problems;
  }
}

package dev.text2code.evaluation;

import dev.text2code.api.ConfigurationException;
import dev.text2code.evaluation.PassAtK.Counts;
import dev.text2code.evaluation.postprocess.Linearisation;
import dev.text2code.evaluation.problems.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Incremental pass@k (MRPT, docs/METHODS.md §1.5): every problem is split into sub-tasks that give
 * the model the signature plus the first i lines of the gold solution and ask for the rest.
 *
 * <p>Sub-task 0 is the signature alone; sub-task i (1 &le; i &lt; L, L = non-blank gold lines) adds
 * gold lines 1..i to the prompt (the full solution is not a task; a prefix equal to an earlier one
 * once whitespace between lines is ignored is dropped). Ids are {@code <task_id>_<index>}.
 * Executing a sub-task runs its prompt (the original prompt + the prefix) + completion + test, like
 * any problem.
 */
public final class IncrementalTasks {
  private IncrementalTasks() {}

  /**
   * One sub-task.
   *
   * @param problem the problem to generate for (prompt extended by the gold prefix; the canonical
   *     solution is the rest of the gold code)
   * @param originalTaskId the problem it came from
   * @param index 0 = signature only, i = i gold lines given
   * @param goldPrefix the gold lines given, as real code (newline-terminated)
   * @param linearisedPrefix the same lines in the linearised form models trained on it expect
   */
  public record IncrementalTask(
      Problem problem,
      String originalTaskId,
      int index,
      String goldPrefix,
      String linearisedPrefix) {}

  /** The sub-tasks of every problem, in problem order. */
  public static List<IncrementalTask> build(Map<String, Problem> problems) {
    List<IncrementalTask> tasks = new ArrayList<>();
    for (Problem problem : problems.values()) {
      tasks.addAll(build(problem));
    }
    return tasks;
  }

  /** The sub-tasks of one problem. */
  public static List<IncrementalTask> build(Problem problem) {
    List<String> lines = new ArrayList<>();
    for (String line : problem.canonicalSolution().replace("\r\n", "\n").split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    List<IncrementalTask> tasks = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int index = 0;
    for (int given = 0; given < Math.max(1, lines.size()); given++) {
      String prefix = given == 0 ? "" : String.join("\n", lines.subList(0, given)) + "\n";
      if (!seen.add(prefix.replaceAll("\\s+", ""))) {
        continue;
      }
      String rest =
          lines.isEmpty() ? "" : String.join("\n", lines.subList(given, lines.size())) + "\n";
      String taskId = problem.taskId() + "_" + index;
      tasks.add(
          new IncrementalTask(
              problem.withPrompt(taskId, problem.prompt() + prefix, rest),
              problem.taskId(),
              index,
              prefix,
              Linearisation.linearise(prefix)));
      index++;
    }
    return tasks;
  }

  /** The original task id of a sub-task id ({@code HumanEval/3_2} -> {@code HumanEval/3}). */
  public static String originalTaskId(String subTaskId) {
    int at = subTaskId.lastIndexOf('_');
    ConfigurationException.require(
        at > 0 && subTaskId.substring(at + 1).chars().allMatch(Character::isDigit),
        "subTaskId",
        subTaskId,
        "<task_id>_<index>");
    return subTaskId.substring(0, at);
  }

  /**
   * Both aggregations of incremental results.
   *
   * @param macro mean over all sub-tasks of pass@k
   * @param micro per original task, pass@k of the pooled counts (n = sum of n, c = sum of c), then
   *     the mean over tasks
   */
  public record IncrementalPassAtK(
      SortedMap<Integer, Double> macro, SortedMap<Integer, Double> micro) {}

  /** Macro and micro incremental pass@k from per-sub-task counts. */
  public static IncrementalPassAtK passAtK(Map<String, Counts> perSubTask, List<Integer> ks) {
    Map<String, int[]> pooled = new LinkedHashMap<>();
    perSubTask.forEach(
        (id, counts) -> {
          int[] sums = pooled.computeIfAbsent(originalTaskId(id), key -> new int[2]);
          sums[0] += counts.samples();
          sums[1] += counts.correct();
        });
    List<Counts> micro = pooled.values().stream().map(s -> new Counts(s[0], s[1])).toList();
    return new IncrementalPassAtK(
        PassAtK.report(perSubTask.values(), ks), PassAtK.report(micro, ks));
  }
}

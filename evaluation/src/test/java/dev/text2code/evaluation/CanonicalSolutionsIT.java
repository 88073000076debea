package dev.text2code.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.evaluation.IncrementalTasks.IncrementalTask;
import dev.text2code.evaluation.execution.ExecutionResult;
import dev.text2code.evaluation.execution.SandboxConfig;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.Mbpp;
import dev.text2code.evaluation.problems.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference solutions of the real datasets pass in our sandbox. */
class CanonicalSolutionsIT {
  private static SandboxedExecutor executor;

  @BeforeAll
  static void start(@TempDir Path work) {
    // Generous timeout: a loaded 2-core CI machine must not turn a pass into a time-out.
    executor =
        SandboxedExecutor.create(
            SandboxConfig.defaults()
                .withTimeout(Duration.ofSeconds(10))
                .withWorkers(4)
                .withWorkRoot(work));
  }

  @AfterAll
  static void stop() {
    executor.close();
  }

  /** task id -> result text of every problem whose canonical solution does not pass. */
  private static Map<String, String> failures(List<Problem> problems) {
    List<ExecutionResult> results =
        executor.executeAll(problems.stream().map(p -> p.program(p.canonicalSolution())).toList());
    Map<String, String> failed = new TreeMap<>();
    for (int i = 0; i < problems.size(); i++) {
      if (!results.get(i).passed()) {
        failed.put(problems.get(i).taskId(), results.get(i).resultText());
      }
    }
    return failed;
  }

  @Test
  void all164HumanEvalCanonicalSolutionsPass() {
    Map<String, Problem> problems = HumanEval.load(TestData.shared("humaneval/HumanEval.jsonl.gz"));
    assertEquals(164, problems.size());
    assertEquals(Map.of(), failures(List.copyOf(problems.values())));
  }

  @Test
  void humanEvalIncrementalSubTasksPassWithTheRestOfTheGoldCode() {
    Map<String, Problem> problems = HumanEval.load(TestData.shared("humaneval/HumanEval.jsonl.gz"));
    List<Problem> subTasks = new ArrayList<>();
    for (IncrementalTask task : IncrementalTasks.build(problems)) {
      subTasks.add(task.problem());
    }
    // Every sub-task asks for the rest of the gold code: prompt + rest must pass again.
    List<Problem> sample = new ArrayList<>();
    for (int i = 0; i < subTasks.size(); i += 5) {
      sample.add(subTasks.get(i));
    }
    assertEquals(Map.of(), failures(sample), "of " + subTasks.size() + " sub-tasks");
  }

  @Test
  void mbppTestSplitReferenceSolutionsPass() {
    Map<String, Problem> problems =
        Mbpp.loadFull(TestData.shared("mbpp/mbpp.jsonl"), Mbpp.Split.TEST);
    assertEquals(500, problems.size());
    assertEquals(Map.of(), failures(List.copyOf(problems.values())));
  }

  @Test
  void sanitizedMbppReferenceSolutionsPass() {
    Map<String, Problem> problems =
        Mbpp.loadSanitized(TestData.shared("mbpp/sanitized-mbpp.json"), Mbpp.Split.ALL);
    assertEquals(427, problems.size());
    assertEquals(Map.of(), failures(List.copyOf(problems.values())));
  }
}

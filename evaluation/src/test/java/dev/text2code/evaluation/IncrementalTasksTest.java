package dev.text2code.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.evaluation.IncrementalTasks.IncrementalTask;
import dev.text2code.evaluation.PassAtK.Counts;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncrementalTasksTest {
  private final Map<String, Problem> problems =
      HumanEval.load(TestData.fixture("tiny_problems.jsonl"));

  @Test
  void subTasksGiveTheSignatureThenEachGoldPrefixButNeverTheWholeSolution() {
    List<IncrementalTask> tasks = IncrementalTasks.build(problems.get("Tiny/1"));
    // 5 non-blank gold lines -> prefixes of 0..4 lines.
    assertEquals(5, tasks.size());
    assertEquals(
        List.of("Tiny/1_0", "Tiny/1_1", "Tiny/1_2", "Tiny/1_3", "Tiny/1_4"),
        tasks.stream().map(t -> t.problem().taskId()).toList());
    IncrementalTask third = tasks.get(2);
    assertEquals("    total = 0\n    for x in xs:\n", third.goldPrefix());
    assertEquals(problems.get("Tiny/1").prompt() + third.goldPrefix(), third.problem().prompt());
    assertEquals(
        "        if x % 2 == 0:\n            total += 1\n    return total\n",
        third.problem().canonicalSolution());
    assertEquals("total = 0 <NEW_LINE> for x in xs: <NEW_LINE>", third.linearisedPrefix());
    assertEquals("Tiny/1", third.originalTaskId());
    // A one-line solution has only the signature-only task.
    assertEquals(1, IncrementalTasks.build(problems.get("Tiny/0")).size());
  }

  @Test
  void repeatedPrefixesAreDropped() {
    Problem repeated =
        new Problem(
            "R/0",
            "def f():\n",
            "    pass\n    pass\n    return 1\n",
            "def check(c):\n    assert c() == 1\n",
            "f");
    List<IncrementalTask> tasks = IncrementalTasks.build(repeated);
    // prefixes "", "pass", "pass pass" are distinct once whitespace is ignored
    assertEquals(3, tasks.size());
  }

  @Test
  void macroAveragesSubTasksAndMicroPoolsPerTask() {
    Map<String, Counts> counts = new LinkedHashMap<>();
    counts.put("A/0_0", new Counts(2, 0));
    counts.put("A/0_1", new Counts(2, 2));
    counts.put("A/0_2", new Counts(2, 2));
    counts.put("B/1_0", new Counts(2, 1));
    var result = IncrementalTasks.passAtK(counts, List.of(1, 2, 5));
    // macro: mean(0, 1, 1, 0.5) ; micro: A pooled (6, 4) -> 4/6, B (2, 1) -> 1/2
    assertEquals(2.5 / 4, result.macro().get(1), 1e-12);
    assertEquals((4.0 / 6 + 0.5) / 2, result.micro().get(1), 1e-12);
    // pass@2 macro: (0 + 1 + 1 + 1) / 4 ; micro: A 1 - C(2,2)/C(6,2) = 14/15, B 1
    assertEquals(0.75, result.macro().get(2), 1e-12);
    assertEquals((14.0 / 15 + 1) / 2, result.micro().get(2), 1e-12);
    assertEquals(List.of(1, 2), List.copyOf(result.macro().keySet()));
    assertEquals(List.of(1, 2), List.copyOf(result.micro().keySet()));
    assertEquals("HumanEval/3", IncrementalTasks.originalTaskId("HumanEval/3_12"));
  }
}

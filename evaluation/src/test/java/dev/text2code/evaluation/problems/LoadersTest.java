package dev.text2code.evaluation.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.InvalidInputException;
import dev.text2code.evaluation.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadersTest {

  @Test
  void humanEvalProgramIsPromptCompletionTestAndCheckCall() {
    Problem problem = HumanEval.load(TestData.fixture("tiny_problems.jsonl")).get("Tiny/0");
    assertEquals(
        problem.prompt() + "    return a + b\n" + "\n" + problem.test() + "\ncheck(add)\n",
        problem.program("    return a + b\n"));
  }

  @Test
  void returnAnnotationsAreDroppedForMrptPrompts() {
    Problem problem =
        new Problem(
            "A/0",
            "from typing import List\n\ndef f(xs: List[int], k=(1, 2)) -> List[int]:\n    \"\"\"doc\"\"\"\n",
            "",
            "def check(c):\n    pass\n",
            "f");
    assertEquals(
        "from typing import List\n\ndef f(xs: List[int], k=(1, 2)):\n    \"\"\"doc\"\"\"\n",
        problem.withoutReturnAnnotations().prompt());
  }

  @Test
  void infillingPutsTheSuffixAfterTheCompletion(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("infill.jsonl");
    Files.writeString(
        file,
        "{\"task_id\":\"SingleLineInfilling/0\",\"entry_point\":\"f\",\"prompt\":\"def f(x):\\n\","
            + "\"suffix\":\"    return y\\n\",\"canonical_solution\":\"    y = x + 1\\n\","
            + "\"test\":\"def check(candidate):\\n    assert candidate(1) == 2\\n\"}\n");
    Problem problem = HumanEval.load(file).get("SingleLineInfilling/0");
    assertEquals("    return y\n", problem.suffix());
    assertTrue(
        problem.program("    y = x + 1\n").startsWith("def f(x):\n    y = x + 1\n    return y\n"));
  }

  @Test
  void badLinesNameFileLineAndKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file, "{\"task_id\":\"a\",\"prompt\":\"\",\"test\":\"\",\"entry_point\":\"f\"}\n{oops\n");
    var error = assertThrows(InvalidInputException.class, () -> HumanEval.load(file));
    assertTrue(error.getMessage().startsWith(file + ":2: not valid JSON"), error.getMessage());
    Files.writeString(file, "{\"task_id\":\"a\",\"prompt\":\"\",\"test\":\"\"}\n");
    error = assertThrows(InvalidInputException.class, () -> HumanEval.load(file));
    assertEquals(file + ":1: missing required key \"entry_point\"", error.getMessage());
    error =
        assertThrows(InvalidInputException.class, () -> HumanEval.load(dir.resolve("none.jsonl")));
    assertTrue(error.getMessage().endsWith("none.jsonl: no such file"));
  }

  @Test
  void mbppTestSplitKeepsIds11To510AndBuildsSignaturePrompts() {
    Map<String, Problem> problems =
        Mbpp.loadFull(TestData.fixture("tiny_mbpp.jsonl"), Mbpp.Split.TEST);
    assertEquals(List.of("Mbpp/11", "Mbpp/12", "Mbpp/13"), List.copyOf(problems.keySet()));
    Problem first = problems.get("Mbpp/11");
    assertEquals("double_it", first.entryPoint());
    assertEquals(
        "def double_it(n):\n    \"\"\" Write a function to double a number. \"\"\"\n",
        first.prompt());
    assertEquals("    return 2 * n", first.canonicalSolution());
    assertTrue(first.test().contains("def check(candidate):\n    assert double_it(2) == 4\n"));
    // helper before the target stays in the prompt; the docstring follows the body's tab indent
    Problem tabs = problems.get("Mbpp/12");
    assertEquals("total", tabs.entryPoint());
    assertTrue(tabs.prompt().startsWith("def helper(x):\n\treturn x\ndef total(xs):\n\t\"\"\" "));
    assertTrue(tabs.prompt().contains("sum a \"list\" of numbers"), tabs.prompt());
    // test_setup_code runs after the solution (it uses the solution's class)
    assertTrue(problems.get("Mbpp/13").test().startsWith("root = Node(7)\n"));
    assertEquals(4, Mbpp.loadFull(TestData.fixture("tiny_mbpp.jsonl"), Mbpp.Split.ALL).size());
  }

  @Test
  void sanitizedMbppUsesPromptAndTestImports() {
    Problem problem =
        Mbpp.loadSanitized(TestData.fixture("tiny_sanitized_mbpp.json"), Mbpp.Split.TEST)
            .get("Mbpp/11");
    assertTrue(problem.prompt().startsWith("import math\ndef double_it(n):\n"));
    assertTrue(problem.test().startsWith("import math\n"));
  }

  @Test
  void pandasNumpyEvalKeepsTheFirstSolutionAndNeedsItsLibrary() {
    Path file = TestData.shared("pandas-numpy-eval/NumpyEval.jsonl.gz");
    Map<String, Problem> problems = PandasNumpyEval.load(file);
    assertEquals(101, problems.size());
    Problem first = problems.get("NumpyEval/0");
    assertEquals(List.of("numpy"), first.requiredModules());
    long scripts = problems.values().stream().filter(p -> p.entryPoint().equals("none")).count();
    assertEquals(71, scripts);
    Problem script =
        problems.values().stream()
            .filter(p -> p.entryPoint().equals("none"))
            .findFirst()
            .orElseThrow();
    assertTrue(script.program("x").endsWith("\ncheck()\n"));
  }
}

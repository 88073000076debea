package dev.text2code.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.evaluation.execution.ExecutionResult;
import dev.text2code.evaluation.execution.Verdict;
import dev.text2code.evaluation.problems.HumanEvalPlus;
import dev.text2code.evaluation.problems.HumanEvalPlus.InputLimits;
import dev.text2code.evaluation.problems.HumanEvalPlus.Tests;
import dev.text2code.evaluation.problems.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HumanEval+ with EvalPlus's semantics on three of its tasks (fixture): canonical solutions pass
 * base and plus; float tolerance, find_zero's own oracle, per-input time limits, and plus inputs
 * that catch what base inputs miss. Limits are generous so verdicts never depend on speed, except
 * where the time limit is what is tested.
 */
class HumanEvalPlusTest {
  @RegisterExtension
  static final SharedSandbox SANDBOX = new SharedSandbox(Duration.ofSeconds(60), 2);

  private static final Path FIXTURE = TestData.fixture("humaneval_plus_subset.jsonl");
  private static final InputLimits LIMITS = new InputLimits(5.0, 4.0);

  private static ExecutionResult run(Tests tests, String task, String completion) {
    Problem problem = HumanEvalPlus.load(FIXTURE, tests, LIMITS).get(task);
    return SANDBOX.executor().execute(problem.program(completion));
  }

  @Test
  void canonicalSolutionsPassBaseAndPlus() {
    for (Tests tests : Tests.values()) {
      Map<String, Problem> problems = HumanEvalPlus.load(FIXTURE, tests, LIMITS);
      assertEquals(3, problems.size());
      for (Problem problem : problems.values()) {
        ExecutionResult result =
            SANDBOX.executor().execute(problem.program(problem.canonicalSolution()));
        assertEquals(Verdict.PASSED, result.verdict(), tests + " " + problem.taskId() + result);
      }
    }
  }

  @Test
  void plusInputsCatchWhatBaseInputsMiss() {
    String onlyNonNegative = "    return abs(x) + abs(y)\n";
    assertEquals(Verdict.PASSED, run(Tests.BASE, "HumanEval/53", onlyNonNegative).verdict());
    ExecutionResult plus = run(Tests.BASE_AND_PLUS, "HumanEval/53", onlyNonNegative);
    assertEquals(Verdict.FAILED, plus.verdict(), plus.toString());
    assertTrue(plus.reason().startsWith("AssertionError: plus input "), plus.reason());
  }

  @Test
  void floatOutputsAreComparedWithinTheTasksTolerance() {
    // truncate_number has atol 1e-6: off by 1e-9 passes, off by 1e-4 does not
    assertEquals(
        Verdict.PASSED,
        run(Tests.BASE_AND_PLUS, "HumanEval/2", "    return number % 1.0 + 1e-9\n").verdict());
    ExecutionResult off =
        run(Tests.BASE_AND_PLUS, "HumanEval/2", "    return number % 1.0 + 1e-4\n");
    assertEquals("failed: AssertionError: base input 1 of 3: wrong output", off.resultText());
  }

  @Test
  void findZeroIsJudgedByThePolynomialNotByTheCanonicalRoot() {
    // Newton's method from other starts first: a root, in about 200 of the 888 inputs not the
    // canonical solution's (Newton from 0)
    String otherRoots =
        "    dxs = [xs[i] * i for i in range(1, len(xs))]\n"
            + "    for start in (2.0, 0.5, 0.1, 0.0):\n"
            + "        x = start\n"
            + "        try:\n"
            + "            for _ in range(1000):\n"
            + "                fx = poly(xs, x)\n"
            + "                if abs(fx) < 1e-5:\n"
            + "                    return x\n"
            + "                x = x - fx / poly(dxs, x)\n"
            + "        except (ZeroDivisionError, OverflowError):\n"
            + "            pass\n"
            + "    return x\n";
    ExecutionResult result = run(Tests.BASE_AND_PLUS, "HumanEval/32", otherRoots);
    assertEquals(Verdict.PASSED, result.verdict(), result.toString());
    ExecutionResult wrong = run(Tests.BASE, "HumanEval/32", "    return 12345.0\n");
    assertTrue(wrong.reason().startsWith("AssertionError: base input 1 of "), wrong.toString());
    assertTrue(wrong.reason().contains("is not within 0.0001 of 0"), wrong.toString());
  }

  @Test
  void eachInputHasItsOwnTimeLimit() {
    Problem problem =
        HumanEvalPlus.load(FIXTURE, Tests.BASE, new InputLimits(0.2, 4.0)).get("HumanEval/53");
    ExecutionResult result =
        SANDBOX.executor().execute(problem.program("    import time\n    time.sleep(30)\n"));
    assertEquals(Verdict.FAILED, result.verdict(), result.toString());
    assertTrue(
        result
            .reason()
            .startsWith("TimeoutError: base input 1 of 105: longer than its limit of 0.200 s"),
        result.reason());
  }

  @Test
  void printedOutputIsSwallowedLikeEvalPlus() {
    ExecutionResult result =
        run(Tests.BASE_AND_PLUS, "HumanEval/53", "    print('x' * 100000)\n    return x + y\n");
    assertEquals(Verdict.PASSED, result.verdict(), result.toString());
  }
}

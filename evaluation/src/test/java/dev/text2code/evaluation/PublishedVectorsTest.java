package dev.text2code.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.evaluation.PassAtK.Counts;
import dev.text2code.evaluation.execution.ExecutionResult;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.PandasNumpyEval;
import dev.text2code.evaluation.problems.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The published pass@k vectors (SOURCES.md §6), run end to end through the sandbox. */
class PublishedVectorsTest {
  // human-eval's vector: one example sample sleeps 10 s; 5 s per sample leaves room on a busy
  // machine for the others and still times that one out.
  @RegisterExtension
  static final SharedSandbox SANDBOX = new SharedSandbox(Duration.ofSeconds(5), 2);

  @Test
  void humanEvalExampleSamplesGivePassAt1OfOneHalf(@TempDir Path out) throws Exception {
    Path problemsFile = TestData.shared("humaneval/example_problem.jsonl");
    Path samples = out.resolve("example_samples.jsonl");
    Files.copy(TestData.shared("humaneval/example_samples.jsonl"), samples);
    EvaluationSummary summary =
        new FunctionalCorrectness(SANDBOX.executor())
            .evaluate(
                "example",
                HumanEval.load(problemsFile),
                samples,
                UnaryOperator.identity(),
                List.of(1, 10, 100),
                true);
    assertEquals(0.4999999999999999, summary.passAtK().get(1), 1e-12);
    assertEquals(List.of(1), List.copyOf(summary.passAtK().keySet()), "6 samples: only k=1 fits");
    List<String> verdicts =
        summary.results().stream().map(r -> r.result().replaceAll(":.*", "")).toList();
    assertEquals(List.of("failed", "timed out", "failed", "passed", "passed", "passed"), verdicts);
    assertEquals(
        summary.results().size(),
        Files.readAllLines(out.resolve("example_samples.jsonl_results.jsonl")).size());
  }

  /** evaluate's code_eval: program = candidate + "\n" + test. */
  private static Counts codeEval(List<String> candidates, String test) {
    List<ExecutionResult> results =
        SANDBOX
            .executor()
            .executeAll(candidates.stream().map(c -> c + "\n" + test + "\n").toList());
    return new Counts(
        candidates.size(), (int) results.stream().filter(ExecutionResult::passed).count());
  }

  @Test
  void codeEvalCardExamples() {
    String test = "assert add(2,3)==5";
    assertEquals(
        Map.of(1, 0.5, 2, 1.0),
        PassAtK.report(
            List.of(
                codeEval(List.of("def add(a,b): return a*b", "def add(a, b): return a+b"), test)),
            List.of(1, 2)));
    assertEquals(
        Map.of(1, 1.0),
        PassAtK.report(List.of(codeEval(List.of("def add(a, b): return a+b"), test)), List.of(1)));
    assertEquals(
        Map.of(1, 0.0),
        PassAtK.report(List.of(codeEval(List.of("def add(a,b): return a*b"), test)), List.of(1)));
  }

  @Test
  void pandasEvalExampleSamplesGiveSevenOf101(@TempDir Path out) throws Exception {
    Path problemsFile = TestData.shared("pandas-numpy-eval/PandasEval.jsonl.gz");
    Map<String, Problem> problems = PandasNumpyEval.load(problemsFile);
    assertEquals(101, problems.size());
    // The default interpreter may lack pandas while the system one (Debian's python3-pandas) has
    // it.
    SandboxedExecutor withPandas = SANDBOX.executor();
    Optional<String> missing =
        PandasNumpyEval.missingModule(SANDBOX.executor(), List.of("pandas", "numpy"));
    if (missing.isPresent() && Files.isExecutable(Path.of("/usr/bin/python3"))) {
      SandboxedExecutor system =
          SandboxedExecutor.create(SANDBOX.executor().config().withInterpreter("/usr/bin/python3"));
      if (PandasNumpyEval.missingModule(system, List.of("pandas", "numpy")).isEmpty()) {
        withPandas = system;
        missing = Optional.empty();
      } else {
        system.close();
      }
    }
    Optional<String> reason = missing;
    assumeTrue(reason.isEmpty(), () -> "PandasEval needs pandas: " + reason.orElse(""));
    Path samples = out.resolve("pandas_samples.jsonl");
    Files.copy(
        TestData.shared("pandas-numpy-eval/Example_Pandas_PYCODEGPT_samples.jsonl"), samples);
    try {
      EvaluationSummary summary =
          new FunctionalCorrectness(withPandas)
              .evaluate(
                  "PandasEval", problems, samples, UnaryOperator.identity(), List.of(1), true);
      assertEquals(0.06930693069306931, summary.passAtK().get(1), 1e-12);
    } finally {
      if (withPandas != SANDBOX.executor()) withPandas.close();
    }
  }
}

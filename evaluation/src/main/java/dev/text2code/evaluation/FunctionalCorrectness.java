package dev.text2code.evaluation;

import dev.text2code.api.CodeExecutionException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.evaluation.PassAtK.Counts;
import dev.text2code.evaluation.execution.ExecutionResult;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.io.ResultFile;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.io.SampleResult;
import dev.text2code.evaluation.problems.PandasNumpyEval;
import dev.text2code.evaluation.problems.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * human-eval's {@code evaluate_functional_correctness}: run every sample against its problem in the
 * sandbox, write {@code <samples>_results.jsonl}, compute pass@k.
 *
 * <p>Resumable: results are journaled as they come; a killed run started again with the same
 * arguments runs only the samples that have no result yet.
 */
public final class FunctionalCorrectness {
  private final SandboxedExecutor executor;
  private final Map<String, java.time.Duration> timeLimits;

  public FunctionalCorrectness(SandboxedExecutor executor) {
    this(executor, Map.of());
  }

  private FunctionalCorrectness(
      SandboxedExecutor executor, Map<String, java.time.Duration> timeLimits) {
    this.executor = executor;
    this.timeLimits = Map.copyOf(timeLimits);
  }

  /**
   * The same evaluation with a wall-clock limit per task id (e.g. {@link
   * dev.text2code.evaluation.timing.CanonicalTimings.Measured#limits}); tasks without one get the
   * sandbox's {@link dev.text2code.evaluation.execution.SandboxConfig#timeout()}.
   */
  public FunctionalCorrectness withTimeLimits(Map<String, java.time.Duration> limits) {
    return new FunctionalCorrectness(executor, limits);
  }

  /** human-eval's results path: {@code <samples file> + "_results.jsonl"}. */
  public static Path defaultResultsFile(Path samplesFile) {
    return samplesFile.resolveSibling(samplesFile.getFileName() + "_results.jsonl");
  }

  /** Reads {@code samplesFile}, applies {@code postprocess} to each completion and evaluates. */
  public EvaluationSummary evaluate(
      String benchmark,
      Map<String, Problem> problems,
      Path samplesFile,
      UnaryOperator<String> postprocess,
      List<Integer> ks,
      boolean requireEveryProblem) {
    List<Sample> samples = new ArrayList<>();
    for (Sample sample : SampleFile.read(samplesFile)) {
      samples.add(sample.withCompletion(postprocess.apply(sample.completion())));
    }
    return evaluate(
        benchmark, problems, samples, defaultResultsFile(samplesFile), ks, requireEveryProblem);
  }

  /**
   * Evaluates {@code samples}; results go to {@code resultsFile}.
   *
   * @param requireEveryProblem as human-eval: fail unless every problem has at least one sample
   */
  public EvaluationSummary evaluate(
      String benchmark,
      Map<String, Problem> problems,
      List<Sample> samples,
      Path resultsFile,
      List<Integer> ks,
      boolean requireEveryProblem) {
    Set<String> attempted = new LinkedHashSet<>();
    Set<String> modules = new LinkedHashSet<>();
    for (int i = 0; i < samples.size(); i++) {
      Problem problem = problems.get(samples.get(i).taskId());
      if (problem == null) {
        throw new InvalidInputException(
            "sample "
                + (i + 1)
                + ": task_id \""
                + samples.get(i).taskId()
                + "\" is not a problem of "
                + benchmark
                + " ("
                + problems.size()
                + " problems)");
      }
      attempted.add(problem.taskId());
      modules.addAll(problem.requiredModules());
    }
    if (requireEveryProblem && attempted.size() != problems.size()) {
      List<String> missing =
          problems.keySet().stream().filter(id -> !attempted.contains(id)).limit(5).toList();
      throw new InvalidInputException(
          "some problems of "
              + benchmark
              + " have no sample, e.g. "
              + missing
              + "; pass requireEveryProblem=false to evaluate a subset");
    }
    PandasNumpyEval.missingModule(executor, List.copyOf(modules))
        .ifPresent(
            reason -> {
              throw new CodeExecutionException(benchmark + " cannot be evaluated: " + reason);
            });
    List<SampleResult> ordered;
    try (ResultFile results = ResultFile.open(resultsFile)) {
      Map<Integer, SampleResult> done = results.completed();
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < samples.size(); i++) {
        SampleResult previous = done.get(i);
        if (previous == null) {
          todo.add(i);
        } else if (!previous.sample().taskId().equals(samples.get(i).taskId())
            || !previous.sample().completion().equals(samples.get(i).completion())) {
          throw new InvalidInputException(
              ResultFile.journalOf(resultsFile)
                  + ": sample "
                  + (i + 1)
                  + " differs from the interrupted run's; delete the journal to start over");
        }
      }
      List<String> programs =
          todo.stream()
              .map(i -> problems.get(samples.get(i).taskId()).program(samples.get(i).completion()))
              .toList();
      List<java.time.Duration> limits =
          todo.stream()
              .map(
                  i ->
                      timeLimits.getOrDefault(samples.get(i).taskId(), executor.config().timeout()))
              .toList();
      executor.executeAll(
          programs,
          limits,
          (position, execution) -> {
            int index = todo.get(position);
            results.append(toResult(index, samples.get(index), execution));
          });
      ordered = results.finish(samples.size());
    }
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (SampleResult result : ordered) {
      int[] c = counts.computeIfAbsent(result.sample().taskId(), id -> new int[2]);
      c[0]++;
      c[1] += result.passed() ? 1 : 0;
    }
    Map<String, Counts> perTask = new LinkedHashMap<>();
    counts.forEach((id, c) -> perTask.put(id, new Counts(c[0], c[1])));
    return new EvaluationSummary(
        benchmark, PassAtK.report(perTask.values(), ks), perTask, ordered, resultsFile);
  }

  private static SampleResult toResult(int index, Sample sample, ExecutionResult execution) {
    return new SampleResult(index, sample, execution.resultText(), execution.passed());
  }
}

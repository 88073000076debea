package dev.text2code.runs;

import dev.text2code.api.Settings;
import dev.text2code.evaluation.EvaluationReport;
import dev.text2code.evaluation.EvaluationSummary;
import dev.text2code.evaluation.FunctionalCorrectness;
import dev.text2code.evaluation.IncrementalTasks;
import dev.text2code.evaluation.execution.ExecutionMode;
import dev.text2code.evaluation.execution.Isolation;
import dev.text2code.evaluation.execution.SandboxConfig;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.postprocess.Linearisation;
import dev.text2code.evaluation.postprocess.StopSequences;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.Problem;
import dev.text2code.tokenizers.pairs.PromptBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Runs samples against their problems' tests in the sandbox ({@code evaluation.*} keys), writes the
 * results file and the JSON + HTML report, and reports pass@k.
 */
public final class SampleEvaluation {
  private SampleEvaluation() {}

  /**
   * Evaluates one samples file against {@code problems} (split into incremental tasks when {@code
   * evaluation.incremental}) and writes {@code report.json} and {@code report.html} into {@code
   * reportDirectory}.
   */
  public static EvaluationSummary evaluate(
      Settings config,
      String name,
      Map<String, Problem> problems,
      Path samples,
      Path reportDirectory,
      RunListener listener) {
    Map<String, Problem> tasks = BenchmarkGeneration.tasks(config, problems.values());
    EvaluationSummary summary = evaluateOne(config, name, tasks, samples, listener);
    writeReport(name, entries(config, name, summary, listener), reportDirectory, listener);
    return summary;
  }

  /**
   * Evaluates samples generated for the configured benchmark ({@code evaluation.benchmark}, as
   * {@link BenchmarkGeneration#generate(TrainedRun, Settings, dev.text2code.api.backend.Backend,
   * String, Path, RunListener)} uses it) and writes the report into {@code reportDirectory}.
   */
  public static EvaluationSummary evaluateBenchmark(
      Settings config, Path samples, Path reportDirectory, RunListener listener) {
    String name = config.string("evaluation.benchmark");
    Map<String, Problem> problems = Benchmarks.load(name, SettingsValues.dataDirectory(config));
    return evaluate(config, name, problems, samples, reportDirectory, listener);
  }

  /** Writes the report of {@code entries} into {@code dir}. */
  public static void writeReport(
      String name, List<EvaluationReport.Entry> entries, Path dir, RunListener listener) {
    Path json = dir.resolve("report.json");
    Path html = dir.resolve("report.html");
    new EvaluationReport("text2code evaluation: " + name, entries).write(json, html);
    listener.report("report:  " + json + " and " + html);
  }

  /**
   * The report rows of one samples file: its pass@k, and with {@code evaluation.incremental} the
   * macro and micro incremental pass@k (reported too).
   */
  public static List<EvaluationReport.Entry> entries(
      Settings config, String label, EvaluationSummary summary, RunListener listener) {
    EvaluationReport.Entry entry = EvaluationReport.Entry.of(summary);
    List<EvaluationReport.Entry> rows = new ArrayList<>();
    rows.add(new EvaluationReport.Entry(label, entry.passAtK(), entry.problems(), entry.samples()));
    if (config.flag("evaluation.incremental", false)) {
      List<Integer> ks = SettingsValues.integers("evaluation.k", config.string("evaluation.k"));
      IncrementalTasks.IncrementalPassAtK incremental =
          IncrementalTasks.passAtK(summary.perTask(), ks);
      incremental
          .macro()
          .forEach(
              (k, v) -> listener.report(String.format("  incremental macro pass@%d = %.4f", k, v)));
      incremental
          .micro()
          .forEach(
              (k, v) -> listener.report(String.format("  incremental micro pass@%d = %.4f", k, v)));
      long originals =
          summary.perTask().keySet().stream()
              .map(IncrementalTasks::originalTaskId)
              .distinct()
              .count();
      rows.addAll(
          EvaluationReport.Entry.incremental(
              label, incremental, (int) originals, summary.results().size()));
    }
    return rows;
  }

  /** Runs the samples in the sandbox, writes their results file, reports pass@k. */
  public static EvaluationSummary evaluateOne(
      Settings config,
      String name,
      Map<String, Problem> problems,
      Path samples,
      RunListener listener) {
    List<Integer> ks = SettingsValues.integers("evaluation.k", config.string("evaluation.k"));
    StopSequences stops = StopSequences.named(config.string("evaluation.stop"));
    boolean delinearise = config.flag("evaluation.delinearise", true);
    BiFunction<String, Problem, String> post =
        (completion, problem) -> {
          boolean linearised =
              completion.contains(Linearisation.NEW_LINE)
                  || completion.contains(Linearisation.INDENT);
          String text =
              delinearise && linearised
                  ? Linearisation.delinearise(completion, PromptBuilder.nextDepth(problem.prompt()))
                  : completion;
          return stops.truncate(text);
        };
    SandboxConfig sandbox =
        SandboxConfig.defaults()
            .withInterpreter(config.string("evaluation.interpreter"))
            .withTimeout(
                Duration.ofMillis((long) (config.number("evaluation.timeout-seconds", 3) * 1000)))
            .withWorkers((int) config.integer("evaluation.workers", 2))
            .withMemoryBytes(config.integer("evaluation.memory-mb", 2048) << 20)
            .withIsolation(SettingsValues.choice(config, "evaluation.isolation", Isolation.class))
            .withMode(SettingsValues.choice(config, "evaluation.mode", ExecutionMode.class));
    try (SandboxedExecutor executor = SandboxedExecutor.create(sandbox)) {
      executor.isolationWarning().ifPresent(listener::warn);
      List<Sample> processed = new ArrayList<>();
      for (Sample sample : SampleFile.read(samples)) {
        Problem problem = problems.get(sample.taskId());
        processed.add(
            problem == null
                ? sample // FunctionalCorrectness names the unknown task id
                : sample.withCompletion(post.apply(sample.completion(), problem)));
      }
      EvaluationSummary summary =
          new FunctionalCorrectness(executor)
              .evaluate(
                  name,
                  problems,
                  processed,
                  FunctionalCorrectness.defaultResultsFile(samples),
                  ks,
                  false);
      listener.report(
          String.format(
              "%s: %d samples, %d passed",
              name, summary.results().size(), summary.passedSamples()));
      summary.passAtK().forEach((k, v) -> listener.report(String.format("  pass@%d = %.4f", k, v)));
      listener.report("results: " + summary.resultsFile());
      return summary;
    }
  }
}

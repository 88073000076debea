package dev.text2code.cli;

import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.run.PromptBuilder;
import dev.text2code.evaluation.EvaluationReport;
import dev.text2code.evaluation.EvaluationSummary;
import dev.text2code.evaluation.FunctionalCorrectness;
import dev.text2code.evaluation.IncrementalTasks;
import dev.text2code.evaluation.execution.SandboxConfig;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.postprocess.Linearisation;
import dev.text2code.evaluation.postprocess.StopSequences;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Executes samples against a benchmark's tests in the sandbox and reports pass@k. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Run samples (human-eval JSONL: task_id, completion) against a benchmark's tests in the sandbox; "
            + "write <samples>_results.jsonl and a JSON + HTML report. Resumes a killed run.")
final class EvaluateCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

  @Option(
      names = "--samples",
      required = true,
      paramLabel = "FILE",
      description =
          "Samples JSONL; repeat to compare several (e.g. a single-model baseline and CERT) in one report.")
  List<Path> samples;

  @Option(
      names = "--benchmark",
      paramLabel = "NAME|FILE",
      description = "Overrides evaluation.benchmark.")
  String benchmark;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Report directory (default: beside the samples).")
  Path reportDirectory;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    String name = benchmark != null ? benchmark : config.string("evaluation.benchmark");
    Map<String, Problem> problems =
        GenerateCommand.tasks(
            config, Benchmarks.load(name, CliSupport.dataDirectory(config)).values());
    Path dir =
        reportDirectory != null ? reportDirectory : samples.get(0).toAbsolutePath().getParent();
    PrintWriter out = spec.commandLine().getOut();
    List<EvaluationReport.Entry> entries = new java.util.ArrayList<>();
    for (Path file : samples) {
      EvaluationSummary summary =
          evaluateOne(config, name, problems, file, out, spec.commandLine().getErr());
      String label = samples.size() == 1 ? name : name + ": " + file.getFileName();
      entries.addAll(entries(config, label, summary, out));
    }
    writeReport(name, entries, dir, out);
    return 0;
  }

  private static void writeReport(
      String name, List<EvaluationReport.Entry> entries, Path dir, PrintWriter out) {
    Path json = dir.resolve("report.json");
    Path html = dir.resolve("report.html");
    new EvaluationReport("text2code evaluation: " + name, entries).write(json, html);
    out.println("report:  " + json + " and " + html);
    out.flush();
  }

  /** Evaluates one samples file and writes a report for it. */
  static EvaluationSummary evaluate(
      SdkConfig config,
      String name,
      Map<String, Problem> problems,
      Path samples,
      Path reportDirectory,
      PrintWriter out,
      PrintWriter err) {
    Map<String, Problem> tasks = GenerateCommand.tasks(config, problems.values());
    EvaluationSummary summary = evaluateOne(config, name, tasks, samples, out, err);
    writeReport(name, entries(config, name, summary, out), reportDirectory, out);
    return summary;
  }

  /**
   * The report rows of one samples file: its pass@k, and with {@code evaluation.incremental} the
   * macro and micro incremental pass@k (printed too).
   */
  private static List<EvaluationReport.Entry> entries(
      SdkConfig config, String label, EvaluationSummary summary, PrintWriter out) {
    EvaluationReport.Entry entry = EvaluationReport.Entry.of(summary);
    List<EvaluationReport.Entry> rows = new java.util.ArrayList<>();
    rows.add(new EvaluationReport.Entry(label, entry.passAtK(), entry.problems(), entry.samples()));
    if (config.flag("evaluation.incremental", false)) {
      List<Integer> ks = CliSupport.integers("evaluation.k", config.string("evaluation.k"));
      IncrementalTasks.IncrementalPassAtK incremental =
          IncrementalTasks.passAtK(summary.perTask(), ks);
      incremental
          .macro()
          .forEach((k, v) -> out.printf("  incremental macro pass@%d = %.4f%n", k, v));
      incremental
          .micro()
          .forEach((k, v) -> out.printf("  incremental micro pass@%d = %.4f%n", k, v));
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

  /** Runs the samples in the sandbox, writes their results file, prints pass@k. */
  static EvaluationSummary evaluateOne(
      SdkConfig config,
      String name,
      Map<String, Problem> problems,
      Path samples,
      PrintWriter out,
      PrintWriter err) {
    List<Integer> ks = CliSupport.integers("evaluation.k", config.string("evaluation.k"));
    StopSequences stops = StopSequences.named(config.string("evaluation.stop"));
    boolean delinearise = config.flag("evaluation.delinearise", true);
    java.util.function.BiFunction<String, Problem, String> post =
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
            .withIsolation(
                CliSupport.choice(
                    config,
                    "evaluation.isolation",
                    dev.text2code.evaluation.execution.Isolation.class))
            .withMode(
                CliSupport.choice(
                    config,
                    "evaluation.mode",
                    dev.text2code.evaluation.execution.ExecutionMode.class));
    try (SandboxedExecutor executor = SandboxedExecutor.create(sandbox)) {
      executor.isolationWarning().ifPresent(w -> err.println("WARNING: " + w));
      List<Sample> processed = new java.util.ArrayList<>();
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
      out.printf(
          "%s: %d samples, %d passed%n", name, summary.results().size(), summary.passedSamples());
      summary.passAtK().forEach((k, v) -> out.printf("  pass@%d = %.4f%n", k, v));
      out.println("results: " + summary.resultsFile());
      out.flush();
      return summary;
    }
  }
}

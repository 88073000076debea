package dev.text2code.cli;

import dev.text2code.cli.config.SdkConfig;
import dev.text2code.evaluation.EvaluationReport;
import dev.text2code.evaluation.EvaluationSummary;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.Problem;
import dev.text2code.runs.BenchmarkGeneration;
import dev.text2code.runs.RunListener;
import dev.text2code.runs.SampleEvaluation;
import dev.text2code.runs.SettingsValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Executes samples against a benchmark's tests in the sandbox and reports pass@k. */
@Command(
    name = "evaluate",
    description =
        "Run samples (human-eval JSONL: task_id, completion) against a benchmark's tests in the sandbox; "
            + "write <samples>_results.jsonl and a JSON + HTML report. Resumes a killed run.")
final class EvaluateCommand extends SdkCommand {
  @Option(
      names = "--samples",
      required = true,
      paramLabel = "FILE",
      description =
          "Samples JSONL; repeat to compare several (e.g. a single-model baseline and CERT) in one report.")
  List<Path> samples;

  @Mixin BenchmarkOption benchmark;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Report directory (default: beside the samples).")
  Path reportDirectory;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    String name = benchmark.name(config);
    Map<String, Problem> problems =
        BenchmarkGeneration.tasks(
            config,
            Benchmarks.load(
                    name,
                    SettingsValues.dataDirectory(config),
                    SampleEvaluation.inputLimits(config))
                .values());
    Path dir =
        reportDirectory != null ? reportDirectory : samples.get(0).toAbsolutePath().getParent();
    RunListener listener = listener(10);
    List<EvaluationReport.Entry> entries = new ArrayList<>();
    for (Path file : samples) {
      String label = samples.size() == 1 ? name : name + ": " + file.getFileName();
      for (EvaluationSummary base : SampleEvaluation.baseTests(config, name, file, listener)) {
        entries.addAll(SampleEvaluation.entries(config, label + " (base tests)", base, listener));
      }
      EvaluationSummary summary =
          SampleEvaluation.evaluateOne(config, name, problems, file, listener);
      entries.addAll(SampleEvaluation.entries(config, label, summary, listener));
    }
    SampleEvaluation.writeReport(name, entries, dir, listener);
    return 0;
  }
}

package dev.text2code.cli;

import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.run.PromptBuilder;
import dev.text2code.evaluation.EvaluationReport;
import dev.text2code.evaluation.EvaluationSummary;
import dev.text2code.evaluation.FunctionalCorrectness;
import dev.text2code.evaluation.IncrementalTasks;
import dev.text2code.evaluation.execution.SandboxConfig;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.io.EvaluationProvenance;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.postprocess.Linearisation;
import dev.text2code.evaluation.postprocess.StopSequences;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.HumanEvalPlus;
import dev.text2code.evaluation.problems.Problem;
import dev.text2code.evaluation.timing.CanonicalTimings;
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
            config,
            Benchmarks.load(name, CliSupport.dataDirectory(config), inputLimits(config)).values());
    Path dir =
        reportDirectory != null ? reportDirectory : samples.get(0).toAbsolutePath().getParent();
    PrintWriter out = spec.commandLine().getOut();
    List<EvaluationReport.Entry> entries = new java.util.ArrayList<>();
    for (Path file : samples) {
      String label = samples.size() == 1 ? name : name + ": " + file.getFileName();
      for (EvaluationSummary base : baseTests(config, name, problems, file, out)) {
        entries.addAll(entries(config, label + " (base tests)", base, out));
      }
      EvaluationSummary summary =
          evaluateOne(config, name, problems, file, out, spec.commandLine().getErr());
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
    List<EvaluationReport.Entry> rows = new java.util.ArrayList<>();
    for (EvaluationSummary base : baseTests(config, name, tasks, samples, out)) {
      rows.addAll(entries(config, name + " (base tests)", base, out));
    }
    EvaluationSummary summary = evaluateOne(config, name, tasks, samples, out, err);
    rows.addAll(entries(config, name, summary, out));
    writeReport(name, rows, reportDirectory, out);
    return summary;
  }

  /**
   * For a benchmark with a base-tests twin (humaneval-plus), the samples evaluated on the base
   * tests too ({@code <samples>_base_results.jsonl}), reported beside base+plus as EvalPlus does.
   */
  private static List<EvaluationSummary> baseTests(
      SdkConfig config, String name, Map<String, Problem> plus, Path samples, PrintWriter out) {
    var base =
        Benchmarks.baseTests(name, CliSupport.dataDirectory(config), inputLimits(config))
            .map(problems -> GenerateCommand.tasks(config, problems.values()));
    if (base.isEmpty()) return List.of();
    Path results = samples.resolveSibling(samples.getFileName() + "_base_results.jsonl");
    return List.of(
        evaluateOne(config, name + " (base tests)", base.get(), samples, results, out, out));
  }

  /** HumanEval+'s per-input limits: evaluation.input-time-limit-seconds and the factor. */
  static HumanEvalPlus.InputLimits inputLimits(SdkConfig config) {
    return new HumanEvalPlus.InputLimits(
        config.number("evaluation.input-time-limit-seconds", 1.0),
        config.number("evaluation.time-limit-factor", 4.0));
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
    return evaluateOne(
        config,
        name,
        problems,
        samples,
        FunctionalCorrectness.defaultResultsFile(samples),
        out,
        err);
  }

  /** Runs the samples in the sandbox, writes {@code resultsFile} and its provenance, prints. */
  static EvaluationSummary evaluateOne(
      SdkConfig config,
      String name,
      Map<String, Problem> problems,
      Path samples,
      Path resultsFile,
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
      TimeLimits limits = timeLimits(config, executor, problems, processed, out);
      EvaluationSummary summary =
          new FunctionalCorrectness(executor)
              .withTimeLimits(limits.perTask())
              .evaluate(name, problems, processed, resultsFile, ks, false);
      provenance(config, name, stops, executor, limits).writeBeside(resultsFile);
      out.printf(
          "%s: %d samples, %d passed%n", name, summary.results().size(), summary.passedSamples());
      summary.passAtK().forEach((k, v) -> out.printf("  pass@%d = %.4f%n", k, v));
      out.println("results: " + summary.resultsFile());
      out.flush();
      return summary;
    }
  }

  /** The limit each attempted task runs under, and the rule that set them. */
  private record TimeLimits(String rule, String problemSetHash, Map<String, Duration> perTask) {}

  /**
   * evaluation.time-limits: "canonical" (EvalPlus: max(evaluation.timeout-seconds,
   * evaluation.time-limit-factor × the canonical solution's runtime here, measured once and cached
   * by the problem set's hash) or "fixed" (evaluation.timeout-seconds for every program).
   */
  private static TimeLimits timeLimits(
      SdkConfig config,
      SandboxedExecutor executor,
      Map<String, Problem> problems,
      List<Sample> samples,
      PrintWriter out) {
    Duration floor = executor.config().timeout();
    String mode = config.string("evaluation.time-limits");
    if (mode.equals("fixed")) {
      Map<String, Duration> all = new java.util.TreeMap<>();
      samples.forEach(s -> all.put(s.taskId(), floor));
      return new TimeLimits("fixed " + floor.toMillis() / 1000.0 + " s", "", all);
    }
    if (!mode.equals("canonical")) {
      throw new dev.text2code.api.ConfigurationException(
          "evaluation.time-limits = " + mode + " is not valid; expected canonical or fixed");
    }
    double factor = config.number("evaluation.time-limit-factor", 4.0);
    CanonicalTimings.Policy policy = new CanonicalTimings.Policy(floor, factor);
    String cache = config.string("evaluation.time-limit-cache");
    Path cacheDirectory =
        cache.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "text2code", "time-limits")
            : Path.of(cache);
    List<String> attempted =
        samples.stream().map(Sample::taskId).filter(problems::containsKey).distinct().toList();
    CanonicalTimings.Measured measured =
        CanonicalTimings.measure(
            executor, problems, attempted, cacheDirectory, floor.multipliedBy(20));
    String rule = "max(" + floor.toMillis() / 1000.0 + " s, " + factor + " x canonical runtime)";
    out.printf(
        "time limits: %s per problem; %d canonical runtimes measured now, %d cached (%s)%n",
        rule,
        measured.measuredNow(),
        attempted.size() - measured.measuredNow(),
        measured.cacheFile());
    if (!measured.failures().isEmpty()) {
      out.printf(
          "  %d canonical solutions fail here (their problems get %s): %s%n",
          measured.failures().size(), floor, measured.failures().keySet());
    }
    return new TimeLimits(rule, measured.problemSetHash(), measured.limits(policy));
  }

  /** What a rerun needs: benchmark file and hash, prompt mode, stops, decoding, SDK version. */
  private static EvaluationProvenance provenance(
      SdkConfig config,
      String name,
      StopSequences stops,
      SandboxedExecutor executor,
      TimeLimits limits) {
    Path file =
        Benchmarks.file(name.replace(" (base tests)", ""), CliSupport.dataDirectory(config))
            .toAbsolutePath()
            .normalize();
    Map<String, String> prompt = new java.util.TreeMap<>();
    for (String key :
        List.of(
            "evaluation.incremental",
            "evaluation.drop-return-annotations",
            "evaluation.delinearise",
            "evaluation.stop",
            "data.layout",
            "data.linearize")) {
      config.find(key).ifPresent(value -> prompt.put(key, value));
    }
    Map<String, String> decoding = new java.util.TreeMap<>();
    config
        .raw()
        .getConfig("generation")
        .entrySet()
        .forEach(
            e ->
                decoding.put("generation." + e.getKey(), String.valueOf(e.getValue().unwrapped())));
    Map<String, String> sandbox = new java.util.TreeMap<>();
    sandbox.put("python", executor.interpreter().version());
    sandbox.put("isolation", executor.isolation().toString());
    sandbox.put("mode", executor.config().mode().toString());
    sandbox.put("memory_bytes", Long.toString(executor.config().memoryBytes()));
    return new EvaluationProvenance(
        EvaluateCommand.class.getPackage().getImplementationVersion(),
        name,
        file,
        java.nio.file.Files.isRegularFile(file) ? CanonicalTimings.fileHash(file) : "",
        prompt,
        stops.stops(),
        decoding,
        sandbox,
        limits.rule(),
        limits.problemSetHash(),
        limits.perTask());
  }
}

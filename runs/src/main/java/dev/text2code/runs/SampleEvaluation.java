package dev.text2code.runs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.checkpoint.Provenance;
import dev.text2code.evaluation.EvaluationReport;
import dev.text2code.evaluation.EvaluationSummary;
import dev.text2code.evaluation.FunctionalCorrectness;
import dev.text2code.evaluation.IncrementalTasks;
import dev.text2code.evaluation.execution.ExecutionMode;
import dev.text2code.evaluation.execution.Isolation;
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
import dev.text2code.tokenizers.pairs.PromptBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    List<EvaluationReport.Entry> rows = new ArrayList<>();
    for (EvaluationSummary base : baseTests(config, name, samples, listener)) {
      rows.addAll(entries(config, name + " (base tests)", base, listener));
    }
    EvaluationSummary summary = evaluateOne(config, name, tasks, samples, listener);
    rows.addAll(entries(config, name, summary, listener));
    writeReport(name, rows, reportDirectory, listener);
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
    Map<String, Problem> problems =
        Benchmarks.load(name, SettingsValues.dataDirectory(config), inputLimits(config));
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

  /**
   * For a benchmark with a base-tests twin (humaneval-plus), the samples evaluated on the base
   * tests too ({@code <samples>_base_results.jsonl}), reported beside base+plus as EvalPlus does.
   */
  public static List<EvaluationSummary> baseTests(
      Settings config, String name, Path samples, RunListener listener) {
    var base =
        Benchmarks.baseTests(name, SettingsValues.dataDirectory(config), inputLimits(config))
            .map(problems -> BenchmarkGeneration.tasks(config, problems.values()));
    if (base.isEmpty()) return List.of();
    Path results = samples.resolveSibling(samples.getFileName() + "_base_results.jsonl");
    return List.of(
        evaluateOne(config, name + " (base tests)", base.get(), samples, results, listener));
  }

  /** HumanEval+'s per-input limits: evaluation.input-time-limit-seconds and the factor. */
  public static HumanEvalPlus.InputLimits inputLimits(Settings config) {
    return new HumanEvalPlus.InputLimits(
        config.number("evaluation.input-time-limit-seconds", 1.0),
        config.number("evaluation.time-limit-factor", 4.0));
  }

  /** Runs the samples in the sandbox, writes their results file, reports pass@k. */
  public static EvaluationSummary evaluateOne(
      Settings config,
      String name,
      Map<String, Problem> problems,
      Path samples,
      RunListener listener) {
    return evaluateOne(
        config,
        name,
        problems,
        samples,
        FunctionalCorrectness.defaultResultsFile(samples),
        listener);
  }

  /** Runs the samples in the sandbox, writes {@code resultsFile} and its provenance, reports. */
  public static EvaluationSummary evaluateOne(
      Settings config,
      String name,
      Map<String, Problem> problems,
      Path samples,
      Path resultsFile,
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
      TimeLimits limits = timeLimits(config, executor, problems, processed, listener);
      EvaluationSummary summary =
          new FunctionalCorrectness(executor)
              .withTimeLimits(limits.perTask())
              .evaluate(name, problems, processed, resultsFile, ks, false);
      provenance(config, name, stops, executor, limits).writeBeside(resultsFile);
      listener.report(
          String.format(
              "%s: %d samples, %d passed",
              name, summary.results().size(), summary.passedSamples()));
      summary.passAtK().forEach((k, v) -> listener.report(String.format("  pass@%d = %.4f", k, v)));
      listener.report("results: " + summary.resultsFile());
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
      Settings config,
      SandboxedExecutor executor,
      Map<String, Problem> problems,
      List<Sample> samples,
      RunListener listener) {
    Duration floor = executor.config().timeout();
    String mode = config.string("evaluation.time-limits");
    if (mode.equals("fixed")) {
      Map<String, Duration> all = new TreeMap<>();
      samples.forEach(s -> all.put(s.taskId(), floor));
      return new TimeLimits("fixed " + floor.toMillis() / 1000.0 + " s", "", all);
    }
    if (!mode.equals("canonical")) {
      throw new ConfigurationException(
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
    listener.report(
        String.format(
            "time limits: %s per problem; %d canonical runtimes measured now, %d cached (%s)",
            rule,
            measured.measuredNow(),
            attempted.size() - measured.measuredNow(),
            measured.cacheFile()));
    if (!measured.failures().isEmpty()) {
      listener.report(
          String.format(
              "  %d canonical solutions fail here (their problems get %s): %s",
              measured.failures().size(), floor, measured.failures().keySet()));
    }
    return new TimeLimits(rule, measured.problemSetHash(), measured.limits(policy));
  }

  /** The generation keys a rerun needs (decoding settings). */
  private static final List<String> DECODING_KEYS =
      List.of(
          "generation.limit",
          "generation.batch",
          "generation.max-new-tokens",
          "generation.sample",
          "generation.temperature",
          "generation.top-k",
          "generation.top-p",
          "generation.samples",
          "generation.prompt-attention");

  /** What a rerun needs: benchmark file and hash, prompt mode, stops, decoding, SDK version. */
  private static EvaluationProvenance provenance(
      Settings config,
      String name,
      StopSequences stops,
      SandboxedExecutor executor,
      TimeLimits limits) {
    Path file =
        Benchmarks.file(name.replace(" (base tests)", ""), SettingsValues.dataDirectory(config))
            .toAbsolutePath()
            .normalize();
    Map<String, String> prompt = new TreeMap<>();
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
    Map<String, String> decoding = new TreeMap<>();
    for (String key : DECODING_KEYS) config.find(key).ifPresent(v -> decoding.put(key, v));
    Map<String, String> sandbox = new TreeMap<>();
    sandbox.put("python", executor.interpreter().version());
    sandbox.put("isolation", executor.isolation().toString());
    sandbox.put("mode", executor.config().mode().toString());
    sandbox.put("memory_bytes", Long.toString(executor.config().memoryBytes()));
    return new EvaluationProvenance(
        Provenance.currentSdkVersion(),
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

package dev.text2code.runs.ablation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.evaluation.EvaluationSummary;
import dev.text2code.evaluation.IncrementalTasks;
import dev.text2code.evaluation.PassAtK;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.Problem;
import dev.text2code.runs.BenchmarkGeneration;
import dev.text2code.runs.CorpusLoader;
import dev.text2code.runs.DefaultJob;
import dev.text2code.runs.RunComponents;
import dev.text2code.runs.RunData;
import dev.text2code.runs.RunLayout;
import dev.text2code.runs.RunListener;
import dev.text2code.runs.RunTokenizers;
import dev.text2code.runs.RunTraining;
import dev.text2code.runs.SampleEvaluation;
import dev.text2code.runs.SettingsValues;
import dev.text2code.runs.TrainedRun;
import dev.text2code.runs.TrainingRun;
import dev.text2code.tokenizers.corpus.SkipReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains one base under every cell of an {@link AblationGrid} (same corpus, tokenizer, steps and
 * seed), evaluates every cell alike and writes {@code ablation.json} and {@code ablation.html}.
 *
 * <p>Each cell is a run directory {@code cells/<objective>+<separation>} under the ablation root. A
 * cell is finished once its {@code cell.json} is written; running the ablation again keeps finished
 * cells, resumes a half-trained cell from its checkpoint and starts the rest.
 *
 * <p>The held-out comparison is fair across objectives: a training run's own held-out loss is over
 * its objective's labels (text and code for {@code clm}, code only for {@code code-clm}), so each
 * cell is scored again on the same held-out pairs with labels on code tokens only ({@code
 * code-clm}'s rule, with {@code prefix-code-clm}'s attention for cells trained with prefix
 * attention).
 */
public final class Ablation {
  /** The file a finished cell writes into its directory. */
  public static final String CELL_FILE = "cell.json";

  private Ablation() {}

  /**
   * What the ablation produced.
   *
   * @param cells every cell's result, in grid order
   * @param best the best cell ({@link AblationReport#best})
   */
  public record Result(
      AblationGrid grid, List<CellResult> cells, CellResult best, Path json, Path html) {}

  /**
   * Runs (or resumes) the ablation in {@code root}.
   *
   * @param corpus the pairs to train on; empty for {@code data.corpus} (or the local Python
   *     standard library)
   */
  public static Result run(
      RunComponents components,
      Settings config,
      Backend backend,
      Path root,
      Optional<Path> corpus,
      RunListener listener) {
    AblationGrid grid = AblationGrid.fromSettings(config);
    String init = config.string("training.init", "");
    // every cell starts from the same weights: a bad source fails here, before any cell trains
    if (!init.isBlank()) dev.text2code.runs.InitSource.read(Path.of(init), components);
    long steps = config.integer("ablate.max-steps", 0);
    if (steps > 0) config = config.with("training.max-steps", Long.toString(steps));
    long maxPairs = config.integer("ablate.max-pairs", 0);
    if (maxPairs > 0) config = config.with("data.max-pairs", Long.toString(maxPairs));
    backend.checkTraining(RunTraining.trainingConfig(config));
    RunLayout rootLayout = new RunLayout(root);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new Text2CodeException("cannot create " + root + ": " + e.getMessage(), e);
    }
    List<TextCodePair> pairs = CorpusLoader.forRun(config, corpus, rootLayout, listener);
    if (config.string("tokenizers.file").isBlank()) {
      if (!Files.isRegularFile(rootLayout.tokenizerFile())) {
        DefaultJob.trainTokenizer(pairs, config, rootLayout, listener);
      }
      config =
          config
              .with("tokenizer", "bpe")
              .with("tokenizers.file", rootLayout.tokenizerFile().toString());
    }
    Map<String, Problem> problems = problems(config, root, listener);
    Path problemFile = root.resolve("problems.jsonl");
    DefaultJob.writeProblems(problems, problemFile);

    List<AblationGrid.Cell> cells = grid.cells();
    List<CellResult> results = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      AblationGrid.Cell cell = cells.get(i);
      Path dir = root.resolve("cells").resolve(cell.name());
      Path file = dir.resolve(CELL_FILE);
      String label = String.format(Locale.ROOT, "cell %d/%d %s", i + 1, cells.size(), cell.name());
      CellResult result;
      if (Files.isRegularFile(file)) {
        result = readCell(file);
        listener.report(label + ": finished earlier, kept (" + summary(result) + ")");
      } else {
        listener.report(label + ": starting");
        result =
            runCell(components, config, backend, cell, dir, pairs, problems, problemFile, listener);
        writeAtomically(file, json().writeValueAsBytesUnchecked(result));
        listener.report(label + ": " + summary(result));
      }
      results.add(result);
    }
    CellResult best = AblationReport.best(results);
    Path json = root.resolve("ablation.json");
    Path html = root.resolve("ablation.html");
    new AblationReport(grid, config.integer("training.max-steps", 300), results).write(json, html);
    listener.report("best cell: " + best.cell() + " (" + summary(best) + ")");
    listener.report("report: " + html + " and " + json);
    return new Result(grid, results, best, json, html);
  }

  private static String summary(CellResult r) {
    return String.format(
        Locale.ROOT,
        "held-out code loss %.4f over %d tokens, pass@1 %.4f",
        r.heldOutCodeLoss(),
        r.heldOutCodeTokens(),
        r.passAt1());
  }

  private static CellResult runCell(
      RunComponents components,
      Settings base,
      Backend backend,
      AblationGrid.Cell cell,
      Path dir,
      List<TextCodePair> pairs,
      Map<String, Problem> problems,
      Path problemFile,
      RunListener listener) {
    Settings config =
        base.with("objective", cell.objective())
            .with("separation", cell.separation().configName())
            .with("run.directory", dir.toString());
    RunLayout layout = new RunLayout(dir);
    TrainingRun.Result trained =
        new TrainingRun(components, config, layout, listener).run(pairs, backend);
    double[] heldOut = heldOutCodeLoss(components, config, backend, layout, pairs);

    Settings plain = config.with("evaluation.incremental", "false");
    Path samples =
        BenchmarkGeneration.generate(
            TrainedRun.open(components, layout),
            plain,
            backend,
            problemFile.toString(),
            dir.resolve("samples.jsonl"),
            listener);
    EvaluationSummary whole =
        SampleEvaluation.evaluateOne(
            plain,
            cell.name(),
            BenchmarkGeneration.tasks(plain, problems.values()),
            samples,
            listener);

    Settings incremental = config.with("evaluation.incremental", "true");
    Path incrementalSamples =
        BenchmarkGeneration.generate(
            TrainedRun.open(components, layout),
            incremental,
            backend,
            problemFile.toString(),
            dir.resolve("samples-incremental.jsonl"),
            listener);
    EvaluationSummary pieces =
        SampleEvaluation.evaluateOne(
            incremental,
            cell.name() + " incremental",
            BenchmarkGeneration.tasks(incremental, problems.values()),
            incrementalSamples,
            listener);
    List<Integer> ks = SettingsValues.integers("evaluation.k", config.string("evaluation.k"));
    IncrementalTasks.IncrementalPassAtK inc = IncrementalTasks.passAtK(pieces.perTask(), ks);

    List<CellResult.ProblemOutcome> outcomes = new ArrayList<>();
    for (Problem p : BenchmarkGeneration.tasks(plain, problems.values()).values()) {
      PassAtK.Counts counts = whole.perTask().get(p.taskId());
      outcomes.add(
          counts == null
              ? new CellResult.ProblemOutcome(p.taskId(), 0, 0)
              : new CellResult.ProblemOutcome(p.taskId(), counts.samples(), counts.correct()));
    }
    return new CellResult(
        cell.name(),
        cell.objective(),
        cell.separation().configName(),
        trained.summary().steps(),
        heldOut[0],
        (long) heldOut[1],
        whole.passAtK(),
        inc.macro(),
        inc.micro(),
        outcomes,
        curve(layout.lossLog()));
  }

  /**
   * The cell's checkpoint scored on the held-out pairs with labels on code tokens only: {mean loss,
   * code tokens}.
   */
  static double[] heldOutCodeLoss(
      RunComponents components,
      Settings config,
      Backend backend,
      RunLayout layout,
      List<TextCodePair> pairs) {
    RunTokenizers tokenizers = RunTokenizers.build(components, config);
    Objective trainedWith =
        components
            .objectives()
            .select(config.string("objective"))
            .create(tokenizers.tokenizer(), config);
    String scoring =
        trainedWith.generationNeeds().prefixAttention() ? "prefix-code-clm" : "code-clm";
    Objective scorer =
        components.objectives().select(scoring).create(tokenizers.tokenizer(), config);
    double fraction = config.number("data.held-out-fraction", 0.05);
    List<TextCodePair> heldOutPairs = new ArrayList<>();
    for (TextCodePair p : pairs) {
      if (RunData.isHeldOut(p, fraction)) heldOutPairs.add(p);
    }
    RunData.Prepared prepared =
        RunData.prepare(
            new RunLayout(layout.root().resolve("held-out-code")),
            tokenizers,
            scorer,
            heldOutPairs,
            config,
            new SkipReport());
    List<TrainingExample> rows = prepared.heldOut();
    TrainingConfig training = RunTraining.trainingConfig(config);
    double total = 0;
    long count = 0;
    try (TrainingSession session = backend.resumeTraining(layout.checkpoint(), training)) {
      for (int i = 0; i < rows.size(); i += training.batchSize()) {
        List<TrainingExample> chunk =
            rows.subList(i, Math.min(rows.size(), i + training.batchSize()));
        long labelled = 0;
        for (TrainingExample e : chunk) labelled += e.labelledCount();
        if (labelled == 0) continue;
        total += session.evaluate(chunk) * labelled;
        count += labelled;
      }
    }
    if (count == 0) {
      throw new ConfigurationException(
          "data.held-out-fraction = "
              + fraction
              + " leaves no held-out code tokens in a corpus of "
              + pairs.size()
              + " pairs; raise it so that some pairs are held out");
    }
    return new double[] {total / count, count};
  }

  /** The rows of a loss log ({@code step,train_loss,eval_loss,...}). */
  static List<CellResult.CurvePoint> curve(Path lossLog) {
    List<CellResult.CurvePoint> points = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(lossLog, StandardCharsets.UTF_8)) {
        if (!line.matches("\\d+,.*")) continue;
        String[] f = line.split(",", -1);
        points.add(
            new CellResult.CurvePoint(
                Long.parseLong(f[0]),
                Double.parseDouble(f[1]),
                f[2].isBlank() ? null : Double.valueOf(f[2])));
      }
    } catch (IOException e) {
      throw new Text2CodeException("cannot read " + lossLog + ": " + e.getMessage(), e);
    }
    return points;
  }

  /**
   * The benchmark problems ({@code evaluation.benchmark}; the shipped starter problems where the
   * default HumanEval file is absent), the first {@code ablate.problems} of them (0 = all).
   */
  private static Map<String, Problem> problems(Settings config, Path root, RunListener listener) {
    String name = config.string("evaluation.benchmark");
    Path data = SettingsValues.dataDirectory(config);
    Map<String, Problem> all;
    if (name.equals("humaneval")
        && !Files.isRegularFile(data.resolve(Benchmarks.FILES.get(name)))) {
      all = HumanEval.load(DefaultJob.starterProblems(root));
      listener.report(
          "problems: the shipped starter problems ("
              + data.resolve(Benchmarks.FILES.get(name))
              + " is absent)");
    } else {
      all = Benchmarks.load(name, data);
      listener.report("problems: " + name);
    }
    long limit = config.integer("ablate.problems", 0);
    Map<String, Problem> kept = new LinkedHashMap<>();
    for (Problem p : all.values()) {
      if (limit > 0 && kept.size() >= limit) break;
      kept.put(p.taskId(), p);
    }
    return kept;
  }

  static CellResult readCell(Path file) {
    try {
      return new ObjectMapper().readValue(file.toFile(), CellResult.class);
    } catch (IOException e) {
      throw new Text2CodeException(
          file
              + " is not a finished cell's result ("
              + e.getMessage()
              + "); delete it to run the"
              + " cell again",
          e);
    }
  }

  static void writeAtomically(Path file, byte[] bytes) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Text2CodeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The JSON writer of cells and the report: indented, keys in declaration order. */
  static Json json() {
    return new Json();
  }

  /** Jackson without checked exceptions. */
  static final class Json {
    private final ObjectMapper mapper =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    byte[] writeValueAsBytesUnchecked(Object value) {
      try {
        return mapper.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new Text2CodeException("cannot write JSON: " + e.getMessage(), e);
      }
    }
  }
}

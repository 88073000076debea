package dev.text2code.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.Settings;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.backend.Backend;
import dev.text2code.evaluation.EvaluationSummary;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.Problem;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.bpe.BpeTrainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default job ({@code sdk-cli run}): a corpus the project can build anywhere
 * (docstring–function pairs of the local Python standard library, or {@code data.corpus}), a
 * byte-level BPE trained on it, a tiny model trained with the configured objective and separation
 * (CodeCLM + partial by default), completions for HumanEval prompts (or the shipped starter
 * problems when the HumanEval file is absent), sandboxed execution and pass@k.
 */
public final class DefaultJob {
  private DefaultJob() {}

  /**
   * What the job produced.
   *
   * @param config the configuration it ran with (with the trained tokenizer when none was set)
   */
  public record Result(
      Settings config,
      TrainingRun.Result training,
      Map<String, Problem> problems,
      Path samples,
      EvaluationSummary evaluation) {
    public double passAt1() {
      return evaluation.passAtK().getOrDefault(1, 0.0);
    }
  }

  /** Runs the whole job in {@code layout}; running it again resumes what was done. */
  public static Result run(
      RunComponents components,
      Settings config,
      Backend backend,
      RunLayout layout,
      RunListener listener) {
    // a missing GPU or an unsupported precision fails here, before the corpus is read
    backend.checkTraining(RunTraining.trainingConfig(config));
    try {
      Files.createDirectories(layout.root());
    } catch (IOException e) {
      throw new Text2CodeException("cannot create " + layout.root() + ": " + e.getMessage(), e);
    }
    List<TextCodePair> pairs = CorpusLoader.forRun(config, Optional.empty(), layout, listener);
    if (config.string("tokenizers.file").isBlank()) {
      if (!Files.isRegularFile(layout.tokenizerFile())) {
        trainTokenizer(pairs, config, layout, listener);
      }
      config =
          config
              .with("tokenizer", "bpe")
              .with("tokenizers.file", layout.tokenizerFile().toString());
    }
    TrainingRun.Result trained =
        new TrainingRun(components, config, layout, listener).run(pairs, backend);
    listener.report(
        String.format(
            "trained %d steps: training loss %.4f, %s",
            trained.summary().steps(), trained.summary().lastTrainLoss(), trained.heldOut(config)));
    Map<String, Problem> problems = problems(config, layout, listener);
    Path problemFile = layout.root().resolve("problems.jsonl");
    writeProblems(problems, problemFile);
    Path samples =
        BenchmarkGeneration.generate(
            TrainedRun.open(components, layout),
            config,
            backend,
            problemFile.toString(),
            layout.samples(),
            listener);
    EvaluationSummary summary =
        SampleEvaluation.evaluate(config, "run", problems, samples, layout.root(), listener);
    return new Result(config, trained, problems, samples, summary);
  }

  /**
   * Trains the run's byte-level BPE ({@code run.bpe-vocabulary} ids) on the corpus's text and code
   * and writes it to the layout's tokenizer file (also each ablation's shared tokenizer).
   */
  public static void trainTokenizer(
      List<TextCodePair> pairs, Settings config, RunLayout layout, RunListener listener) {
    List<String> texts = new ArrayList<>();
    for (TextCodePair p : pairs) {
      texts.add(p.text());
      texts.add(p.code());
    }
    int vocabulary = (int) config.integer("run.bpe-vocabulary", 2048);
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(vocabulary, SpecialTokens.PAPER));
    trainer.write(trainer.train(texts), layout.tokenizerFile());
    listener.report(
        String.format(
            "tokenizer: byte-level BPE with %d ids trained on the corpus: %s",
            vocabulary, layout.tokenizerFile()));
  }

  /**
   * HumanEval (first generation.limit problems, 20 by default) when present, else the starter
   * problems.
   */
  private static Map<String, Problem> problems(
      Settings config, RunLayout layout, RunListener listener) {
    Path data = SettingsValues.dataDirectory(config);
    Path humanEval = data.resolve(Benchmarks.FILES.get("humaneval"));
    Map<String, Problem> problems;
    if (Files.isRegularFile(humanEval)) {
      problems = HumanEval.load(humanEval);
      listener.report("problems: HumanEval from " + humanEval);
    } else {
      problems = HumanEval.load(starterProblems(layout.root()));
      listener.report("problems: the shipped starter problems (" + humanEval + " is absent)");
    }
    long limit = config.integer("generation.limit", 0);
    if (limit <= 0) limit = 20;
    Map<String, Problem> kept = new LinkedHashMap<>();
    for (Problem p : problems.values()) {
      if (kept.size() >= limit) break;
      kept.put(p.taskId(), p);
    }
    return kept;
  }

  /** Copies the shipped starter problems (human-eval JSONL) into {@code directory}. */
  public static Path starterProblems(Path directory) {
    Path starter = directory.resolve("starter-problems.jsonl");
    try (InputStream in = DefaultJob.class.getResourceAsStream("starter-problems.jsonl")) {
      Files.copy(in, starter, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new Text2CodeException("cannot write " + starter + ": " + e.getMessage(), e);
    }
    return starter;
  }

  /** Writes problems as a human-eval JSONL file, atomically (one record a line). */
  public static void writeProblems(Map<String, Problem> problems, Path file) {
    ObjectMapper json = new ObjectMapper();
    try {
      List<String> lines = new ArrayList<>();
      for (Problem p : problems.values()) {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("task_id", p.taskId());
        record.put("prompt", p.prompt());
        record.put("entry_point", p.entryPoint());
        record.put("canonical_solution", p.canonicalSolution());
        record.put("test", p.test());
        lines.add(json.writeValueAsString(record));
      }
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(temp, lines);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Text2CodeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

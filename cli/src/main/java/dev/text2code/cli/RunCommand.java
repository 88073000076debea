package dev.text2code.cli;

import dev.text2code.api.Text2CodeException;
import dev.text2code.api.TextCodePair;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.run.ProgressBar;
import dev.text2code.cli.run.RunLayout;
import dev.text2code.cli.run.TrainingRun;
import dev.text2code.evaluation.EvaluationSummary;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.Problem;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.bpe.BpeTrainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The embedded default job: a corpus the project can build anywhere (docstring–function pairs of
 * the local Python standard library, or data.corpus), a byte-level BPE trained on it, a tiny model
 * trained with the configured objective and separation (CodeCLM + partial by default), completions
 * for HumanEval prompts (or the shipped starter problems when the HumanEval file is absent),
 * sandboxed execution and pass@k.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "The default end-to-end job: corpus -> BPE tokenizer -> tiny model -> generate -> sandboxed evaluation.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

  @Mixin RunDirectoryOption runDirectory;

  @Override
  public Integer call() throws IOException {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    Files.createDirectories(layout.root());
    PrintWriter out = spec.commandLine().getOut();
    // a missing GPU or an unsupported precision fails here, before the corpus is read
    root.components()
        .backends()
        .select(config.backend())
        .checkTraining(dev.text2code.cli.run.RunTraining.trainingConfig(config));
    List<TextCodePair> pairs = new CorpusOption().read(config, layout, out);
    if (config.string("tokenizers.file").isBlank()) {
      if (!Files.isRegularFile(layout.tokenizerFile())) trainTokenizer(pairs, config, layout, out);
      config =
          config
              .with("tokenizer", "bpe")
              .with("tokenizers.file", layout.tokenizerFile().toString());
    }
    TrainingRun.Result trained =
        new TrainingRun(root.components(), config, layout, out)
            .run(pairs, new ProgressBar(out, System.console() != null, 25));
    out.printf(
        "trained %d steps: training loss %.4f, held-out loss %.4f%n",
        trained.summary().steps(),
        trained.summary().lastTrainLoss(),
        trained.summary().lastEvalLoss());
    Map<String, Problem> problems = problems(config, layout, out);
    Path problemFile = layout.root().resolve("problems.jsonl");
    writeProblems(problems, problemFile);
    Path samples =
        GenerateCommand.generate(
            root, config, layout, problemFile.toString(), layout.samples(), out);
    EvaluationSummary summary =
        EvaluateCommand.evaluate(
            config, "run", problems, samples, layout.root(), out, spec.commandLine().getErr());
    out.println();
    out.printf(
        "pass@1 = %.4f on %d problems%n", summary.passAtK().getOrDefault(1, 0.0), problems.size());
    out.println("loss curve: " + layout.lossLog() + " and " + layout.lossPlot());
    out.println("report:     " + layout.root().resolve("report.html"));
    out.flush();
    return 0;
  }

  private static void trainTokenizer(
      List<TextCodePair> pairs, SdkConfig config, RunLayout layout, PrintWriter out) {
    List<String> texts = new ArrayList<>();
    for (TextCodePair p : pairs) {
      texts.add(p.text());
      texts.add(p.code());
    }
    int vocabulary = (int) config.integer("run.bpe-vocabulary", 2048);
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(vocabulary, SpecialTokens.PAPER));
    trainer.write(trainer.train(texts), layout.tokenizerFile());
    out.printf(
        "tokenizer: byte-level BPE with %d ids trained on the corpus: %s%n",
        vocabulary, layout.tokenizerFile());
    out.flush();
  }

  /**
   * HumanEval (first generation.limit problems, 20 by default) when present, else the starter
   * problems.
   */
  private static Map<String, Problem> problems(
      SdkConfig config, RunLayout layout, PrintWriter out) {
    Path data = CliSupport.dataDirectory(config);
    Path humanEval = data.resolve(Benchmarks.FILES.get("humaneval"));
    Map<String, Problem> problems;
    if (Files.isRegularFile(humanEval)) {
      problems = HumanEval.load(humanEval);
      out.println("problems: HumanEval from " + humanEval);
    } else {
      Path starter = layout.root().resolve("starter-problems.jsonl");
      try (InputStream in = RunCommand.class.getResourceAsStream("starter-problems.jsonl")) {
        Files.copy(in, starter, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new Text2CodeException("cannot write " + starter + ": " + e.getMessage(), e);
      }
      problems = HumanEval.load(starter);
      out.println("problems: the shipped starter problems (" + humanEval + " is absent)");
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

  private static void writeProblems(Map<String, Problem> problems, Path file) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
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
  }
}

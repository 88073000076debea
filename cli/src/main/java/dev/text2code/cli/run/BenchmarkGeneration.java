package dev.text2code.cli.run;

import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.problems.Problem;
import java.util.ArrayList;
import java.util.List;

/** Generates completions for benchmark problems with a trained model. */
public final class BenchmarkGeneration {
  private BenchmarkGeneration() {}

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
    List<Sample> samples = new ArrayList<>();
    for (int from = 0; from < problems.size(); from += batchSize) {
      List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + batchSize));
      List<TokenSequence> inputs = new ArrayList<>();
      for (Problem p : chunk) inputs.add(prompts.build(p.prompt()));
      List<List<Completion>> completions =
          generator.generate(inputs, config, tokenizers.tokenizer());
      for (int i = 0; i < chunk.size(); i++) {
        for (Completion c : completions.get(i))
          samples.add(new Sample(chunk.get(i).taskId(), c.text()));
      }
    }
    return samples;
  }
}

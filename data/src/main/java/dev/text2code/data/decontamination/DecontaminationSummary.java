package dev.text2code.data.decontamination;

import java.util.List;

/**
 * What a decontamination pass removed.
 *
 * @param ngram the n-gram length used
 * @param docstrings whether exact docstring matches were removed too
 * @param pairsIn pairs checked
 * @param pairsRemoved pairs removed (a pair matching several benchmarks counts once here)
 * @param benchmarks one entry per benchmark, in the configured order
 */
public record DecontaminationSummary(
    int ngram, boolean docstrings, long pairsIn, long pairsRemoved, List<Benchmark> benchmarks) {
  public DecontaminationSummary {
    benchmarks = List.copyOf(benchmarks);
  }

  /**
   * One benchmark.
   *
   * @param name its name or file
   * @param problems how many problems it has
   * @param pairsRemoved training pairs that overlap one of its problems
   * @param taskIds the problems some training pair overlapped, in benchmark order
   * @param examples the first removed pairs
   */
  public record Benchmark(
      String name, int problems, long pairsRemoved, List<String> taskIds, List<Hit> examples) {
    public Benchmark {
      taskIds = List.copyOf(taskIds);
      examples = List.copyOf(examples);
    }
  }

  /**
   * One removed pair.
   *
   * @param pairId the training pair
   * @param taskId the benchmark problem it overlaps
   * @param reason {@code ngram} or {@code docstring}
   */
  public record Hit(String pairId, String taskId, String reason) {}
}

package dev.text2code.runs.ablation;

import dev.text2code.api.ConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one finished cell measured, as written to its {@code cell.json}.
 *
 * @param cell the cell's name ({@code objective+separation})
 * @param steps optimizer steps trained
 * @param heldOutCodeLoss mean loss over the code tokens of the held-out pairs (the same pairs and
 *     the same label rule for every cell)
 * @param heldOutCodeTokens how many code tokens that mean is over
 * @param passAtK pass@k of whole problems
 * @param incrementalMacro macro incremental pass@k
 * @param incrementalMicro micro incremental pass@k
 * @param problems per problem (task id, in benchmark order): samples and passes
 * @param curve the training log: step, training loss, held-out loss where evaluated
 */
public record CellResult(
    String cell,
    String objective,
    String separation,
    long steps,
    double heldOutCodeLoss,
    long heldOutCodeTokens,
    SortedMap<Integer, Double> passAtK,
    SortedMap<Integer, Double> incrementalMacro,
    SortedMap<Integer, Double> incrementalMicro,
    List<ProblemOutcome> problems,
    List<CurvePoint> curve) {
  public CellResult {
    Objects.requireNonNull(cell, "cell");
    ConfigurationException.require(steps >= 0, "steps", steps, "at least 0");
    passAtK = new TreeMap<>(passAtK);
    incrementalMacro = new TreeMap<>(incrementalMacro);
    incrementalMicro = new TreeMap<>(incrementalMicro);
    problems = List.copyOf(problems);
    curve = List.copyOf(curve);
  }

  /** pass@1, or 0 where it was not measured. */
  public double passAt1() {
    return passAtK.getOrDefault(1, 0.0);
  }

  /** One problem's outcome in a cell. */
  public record ProblemOutcome(String taskId, int samples, int passed) {
    public ProblemOutcome {
      Objects.requireNonNull(taskId, "taskId");
      ConfigurationException.require(
          passed >= 0 && passed <= samples, "passed", passed, "between 0 and " + samples);
    }
  }

  /**
   * One row of the loss log.
   *
   * @param evalLoss the training's own held-out loss at this step, null where none was computed
   */
  public record CurvePoint(long step, double trainLoss, Double evalLoss) {}

  /** Outcomes by task id. */
  public Map<String, ProblemOutcome> problemsById() {
    Map<String, ProblemOutcome> out = new java.util.LinkedHashMap<>();
    for (ProblemOutcome p : problems) out.put(p.taskId(), p);
    return out;
  }
}

package dev.text2code.evaluation.postprocess;

import dev.text2code.api.ConfigurationException;
import java.util.List;

/**
 * Cuts a completion at the first stop sequence, as the Codex paper and bigcode-evaluation-harness
 * do before execution (the stop sequence itself is dropped).
 */
public record StopSequences(List<String> stops) {
  /** The Codex paper's set for HumanEval. */
  public static final StopSequences CODEX =
      new StopSequences(List.of("\nclass", "\ndef", "\n#", "\nif", "\nprint"));

  /** bigcode-evaluation-harness, humaneval task. */
  public static final StopSequences BIGCODE_HUMANEVAL =
      new StopSequences(
          List.of("\nclass", "\ndef", "\n#", "\n@", "\nprint", "\nif", "\n```", "<file_sep>"));

  /** bigcode-evaluation-harness, mbpp task. */
  public static final StopSequences BIGCODE_MBPP =
      new StopSequences(
          List.of("\nclass", "\nassert", "\n\"\"\"", "\nprint", "\nif", "\n<|/", "\n```"));

  /** Nothing is cut. */
  public static final StopSequences NONE = new StopSequences(List.of());

  public StopSequences {
    ConfigurationException.require(stops != null, "stops", null, "a list of strings");
    for (String stop : stops) {
      ConfigurationException.require(
          stop != null && !stop.isEmpty(), "stops", stops, "non-empty strings");
    }
    stops = List.copyOf(stops);
  }

  /** A named set: codex, bigcode-humaneval, bigcode-mbpp or none. */
  public static StopSequences named(String name) {
    return switch (name) {
      case "codex" -> CODEX;
      case "bigcode-humaneval" -> BIGCODE_HUMANEVAL;
      case "bigcode-mbpp" -> BIGCODE_MBPP;
      case "none" -> NONE;
      default ->
          throw new ConfigurationException(
              "stop sequence set '"
                  + name
                  + "' is unknown; valid: codex, bigcode-humaneval, bigcode-mbpp, none");
    };
  }

  /** {@code completion} up to (not including) the earliest stop sequence. */
  public String truncate(String completion) {
    int cut = completion.length();
    for (String stop : stops) {
      int at = completion.indexOf(stop);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    return completion.substring(0, cut);
  }
}

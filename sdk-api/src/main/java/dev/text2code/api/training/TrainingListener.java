package dev.text2code.api.training;

import dev.text2code.api.backend.StepResult;
import java.nio.file.Path;

/**
 * Progress callbacks of a {@link TrainingLoop} (progress bars, logs). All methods default to
 * nothing.
 */
public interface TrainingListener {
  default void started(long fromStep, long maxSteps, boolean resumed) {}

  /**
   * @param tokensPerSecond labelled tokens per second of wall time over this run so far
   */
  default void stepped(StepResult result, double tokensPerSecond, long maxSteps) {}

  default void evaluated(long step, double heldOutLoss) {}

  default void checkpointed(long step, Path directory) {}
}

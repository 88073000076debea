package dev.text2code.api.backend;

import dev.text2code.api.checkpoint.TrainingOrigin;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.List;

/**
 * A model being trained. Not thread-safe. Every method but {@link #close()} throws {@link
 * IllegalStateException} after the session is closed.
 */
public interface TrainingSession extends AutoCloseable {
  ModelSpec spec();

  TrainingConfig config();

  /**
   * One optimizer step over a batch of equally long examples, split into the configured
   * micro-batches.
   *
   * @throws dev.text2code.api.Text2CodeException if the loss is not finite (the run stops, nothing
   *     is updated)
   */
  StepResult step(List<TrainingExample> batch);

  /** Mean loss over the labelled positions of the examples, without updating anything. */
  double evaluate(List<TrainingExample> examples);

  /** Logits {@code [position][row]} for one example, in evaluation mode (no dropout). */
  float[][] logits(TrainingExample example);

  /** Optimizer steps completed so far (restored on resume). */
  long completedSteps();

  /**
   * Writes a complete checkpoint into {@code directory} atomically (temporary files, then renames),
   * with the {@link dev.text2code.api.checkpoint.Provenance} of {@code
   * Provenance.ofTraining(backend, engine versions, origin)}.
   */
  void save(Path directory, TrainingOrigin origin);

  /** {@link #save(Path, TrainingOrigin)} for a caller that records no origin. */
  default void save(Path directory) {
    save(directory, TrainingOrigin.UNKNOWN);
  }

  /** Releases native memory; idempotent. */
  @Override
  void close();
}

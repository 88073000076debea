package dev.text2code.api.training;

import dev.text2code.api.objective.TrainingExample;
import java.util.List;

/**
 * The examples of each optimizer step. It must be a pure function of the step number (and the
 * source's seed), so that a resumed run sees exactly the batches an uninterrupted one would.
 */
@FunctionalInterface
public interface BatchSource {
  List<TrainingExample> batch(long step);
}

package dev.text2code.runs;

import dev.text2code.api.training.TrainingListener;

/**
 * What a run reports while it works: the training callbacks, and one line per finished stage (the
 * lines {@code sdk-cli} prints). Every method defaults to nothing, so a library caller can listen
 * to what it needs or pass {@link #silent()}.
 */
public interface RunListener extends TrainingListener {
  /** A finished stage, in one line, for example {@code data: 18 pairs read (0 skipped), ...}. */
  default void report(String line) {}

  /** Something the user must know that does not stop the run (a sandbox without isolation). */
  default void warn(String line) {}

  /** A listener that ignores everything. */
  static RunListener silent() {
    return new RunListener() {};
  }
}

package dev.text2code.runs;

import dev.text2code.api.ComponentSelector;
import dev.text2code.api.TokenizerFactory;
import dev.text2code.api.objective.ObjectiveFactory;
import java.util.Objects;

/**
 * The named components a run builds from configuration, and where it keeps that configuration. The
 * backend is not among them: each operation takes the {@code Backend} its caller selected, so only
 * that one is ever constructed.
 *
 * @param tokenizers tokenizer factories by name (key {@code tokenizer})
 * @param objectives objective factories by name (key {@code objective})
 * @param settingsStore reads and writes a run directory's {@code run.conf}
 */
public record RunComponents(
    ComponentSelector<TokenizerFactory> tokenizers,
    ComponentSelector<ObjectiveFactory> objectives,
    RunSettingsStore settingsStore) {
  public RunComponents {
    Objects.requireNonNull(tokenizers, "tokenizers");
    Objects.requireNonNull(objectives, "objectives");
    Objects.requireNonNull(settingsStore, "settingsStore");
  }

  /** The settings of an existing run directory. */
  public dev.text2code.api.Settings settingsOf(RunLayout layout) {
    return settingsStore.load(layout.config());
  }
}

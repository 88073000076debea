package dev.text2code.runs;

import dev.text2code.api.Settings;
import java.nio.file.Path;

/**
 * How a run keeps the configuration it was started with ({@link RunLayout#config()}), so that later
 * steps (generation, completion, resuming) rebuild the same tokenizer, layout and objective. The
 * configuration format belongs to the caller (sdk-cli writes HOCON through its loader).
 */
public interface RunSettingsStore {
  /** Writes {@code settings} to {@code file} atomically, file paths made absolute. */
  void save(Settings settings, Path file);

  /** The settings saved in {@code file}. */
  Settings load(Path file);
}

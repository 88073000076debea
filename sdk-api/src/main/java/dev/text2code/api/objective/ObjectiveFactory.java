package dev.text2code.api.objective;

import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;

/**
 * Builds a named objective for a tokenizer (it supplies special-token ids) and settings; registered
 * by name.
 */
public interface ObjectiveFactory {
  /** The configuration name, for example {@code code-clm}. */
  String name();

  /** One line for {@code sdk-cli info}. */
  String description();

  Objective create(Tokenizer tokenizer, Settings settings);
}

package dev.text2code.api;

/**
 * Builds a named tokenizer from settings (a file path, an encoding name, ...); registered by name.
 */
public interface TokenizerFactory {
  /** The configuration name, for example {@code huggingface} or {@code tiktoken}. */
  String name();

  /** One line for {@code sdk-cli info}: what it is and which settings it reads. */
  String description();

  Tokenizer create(Settings settings);
}

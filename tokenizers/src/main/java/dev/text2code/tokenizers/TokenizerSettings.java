package dev.text2code.tokenizers;

/** The configuration keys the tokenizer factories read. */
public final class TokenizerSettings {
  /** Path of a tokenizer.json or tokenizer.json.gz ({@code huggingface}, {@code bpe}). */
  public static final String FILE = "tokenizers.file";

  /** A tiktoken encoding name ({@code tiktoken}). */
  public static final String ENCODING = "tokenizers.encoding";

  public static final String DEFAULT_ENCODING = "p50k_base";

  private TokenizerSettings() {}

  /**
   * The tokenizer file named by {@link #FILE}, which must exist.
   *
   * @throws dev.text2code.api.ConfigurationException naming the key when it is unset or the file is
   *     missing
   */
  public static java.nio.file.Path file(dev.text2code.api.Settings settings) {
    String value = settings.string(FILE);
    java.nio.file.Path path = java.nio.file.Path.of(value);
    if (!java.nio.file.Files.isRegularFile(path)) {
      throw new dev.text2code.api.ConfigurationException(
          settings.origin()
              + ": "
              + FILE
              + " = "
              + value
              + " is not valid; expected an existing tokenizer.json or tokenizer.json.gz");
    }
    return path;
  }
}

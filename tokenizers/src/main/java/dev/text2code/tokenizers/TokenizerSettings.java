package dev.text2code.tokenizers;

/** The configuration keys the tokenizer factories read. */
public final class TokenizerSettings {
  /** Path of a tokenizer.json or tokenizer.json.gz ({@code huggingface}, {@code bpe}). */
  public static final String FILE = "tokenizers.file";

  /** A tiktoken encoding name ({@code tiktoken}). */
  public static final String ENCODING = "tokenizers.encoding";

  public static final String DEFAULT_ENCODING = "p50k_base";

  private TokenizerSettings() {}
}

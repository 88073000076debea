package dev.text2code.tokenizers;

import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.TokenizerFactory;
import dev.text2code.tokenizers.tiktoken.TiktokenTokenizer;

/** {@code tokenizer = tiktoken}: OpenAI encodings through jtokkit. */
public final class TiktokenTokenizerFactory implements TokenizerFactory {
  @Override
  public String name() {
    return "tiktoken";
  }

  @Override
  public String description() {
    return "OpenAI tiktoken encodings through jtokkit ("
        + String.join(", ", TiktokenTokenizer.encodings())
        + "); reads tokenizers.encoding (default "
        + TokenizerSettings.DEFAULT_ENCODING
        + ")";
  }

  @Override
  public Tokenizer create(Settings settings) {
    return TiktokenTokenizer.open(
        settings.string(TokenizerSettings.ENCODING, TokenizerSettings.DEFAULT_ENCODING).trim());
  }
}

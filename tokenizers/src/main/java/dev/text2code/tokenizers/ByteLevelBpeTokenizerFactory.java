package dev.text2code.tokenizers;

import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.TokenizerFactory;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;

/** {@code tokenizer = bpe}: the pure-Java encoder for byte-level BPE tokenizer.json files. */
public final class ByteLevelBpeTokenizerFactory implements TokenizerFactory {
  @Override
  public String name() {
    return "bpe";
  }

  @Override
  public String description() {
    return "pure-Java byte-level BPE encoder for tokenizer.json (or .json.gz) files (GPT-2, Qwen,"
        + " files written by the SDK's trainer); reads tokenizers.file";
  }

  @Override
  public Tokenizer create(Settings settings) {
    return ByteLevelBpeTokenizer.load(TokenizerSettings.file(settings));
  }
}

package dev.text2code.tokenizers;

import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.TokenizerFactory;
import dev.text2code.tokenizers.hf.HuggingFaceTokenizer;

/** {@code tokenizer = huggingface}: any tokenizer.json through the Rust library (DJL). */
public final class HuggingFaceTokenizerFactory implements TokenizerFactory {
  @Override
  public String name() {
    return "huggingface";
  }

  @Override
  public String description() {
    return "Hugging Face tokenizer.json (or .json.gz) through the Rust library via DJL; reads"
        + " tokenizers.file";
  }

  @Override
  public Tokenizer create(Settings settings) {
    return HuggingFaceTokenizer.load(TokenizerSettings.file(settings));
  }
}

package dev.text2code.tokenizers;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.text2code.api.TokenizerFactory;

/** Registers every tokenizer factory of this module by name. Does no I/O. */
public final class TokenizersModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, TokenizerFactory> tokenizers =
        MapBinder.newMapBinder(binder(), String.class, TokenizerFactory.class);
    tokenizers.addBinding("huggingface").to(HuggingFaceTokenizerFactory.class);
    tokenizers.addBinding("tiktoken").to(TiktokenTokenizerFactory.class);
    tokenizers.addBinding("bpe").to(ByteLevelBpeTokenizerFactory.class);
  }
}

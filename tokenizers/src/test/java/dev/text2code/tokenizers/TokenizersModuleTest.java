package dev.text2code.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenizerFactory;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenizersModuleTest {
  private final Map<String, TokenizerFactory> factories =
      Guice.createInjector(new TokenizersModule())
          .getInstance(Key.get(new TypeLiteral<Map<String, TokenizerFactory>>() {}));

  @Test
  void registersEveryTokenizerByName() {
    assertEquals(Set.of("huggingface", "tiktoken", "bpe"), factories.keySet());
    factories.forEach((name, f) -> assertEquals(name, f.name()));
  }

  @Test
  void factoriesReadTheirSettings() {
    assertEquals("tiktoken:p50k_base", factories.get("tiktoken").create(Settings.empty()).name());
    assertEquals(
        "tiktoken:cl100k_base",
        factories
            .get("tiktoken")
            .create(Settings.of(Map.of("tokenizers.encoding", "cl100k_base")))
            .name());
    Settings file = Settings.of(Map.of("tokenizers.file", Fixtures.trainedTokenizer().toString()));
    assertEquals(500, factories.get("bpe").create(file).vocabularySize());
    assertEquals(500, factories.get("huggingface").create(file).vocabularySize());
  }

  @Test
  void missingFileSettingNamesTheKey() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> factories.get("bpe").create(Settings.empty()));
    assertTrue(e.getMessage().contains("tokenizers.file"));
    ConfigurationException missing =
        assertThrows(
            ConfigurationException.class,
            () ->
                factories
                    .get("huggingface")
                    .create(Settings.of(Map.of("tokenizers.file", "/no/such/tokenizer.json"))));
    assertTrue(missing.getMessage().contains("tokenizers.file = /no/such/tokenizer.json"));
  }
}

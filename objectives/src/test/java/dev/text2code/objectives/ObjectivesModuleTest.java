package dev.text2code.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.ObjectiveFactory;
import dev.text2code.objectives.mixture.ObjectiveMixture;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectivesModuleTest {
  private static Map<String, ObjectiveFactory> registry() {
    return Guice.createInjector(new ObjectivesModule())
        .getInstance(Key.get(new TypeLiteral<Map<String, ObjectiveFactory>>() {}));
  }

  @Test
  void everyObjectiveIsRegisteredUnderItsName() {
    Map<String, ObjectiveFactory> registry = registry();
    assertEquals(
        Set.of(
            "clm",
            "code-clm",
            "corrupt-code-clm",
            "prefix-code-clm",
            "span-corruption",
            "span-corruption-decoder",
            "fim",
            "codegen2-infill",
            "prefix-lm",
            "mixture",
            "cert-sketcher",
            "cert-generator"),
        registry.keySet());
    registry.forEach(
        (name, factory) -> {
          assertEquals(name, factory.name());
          Objective o = factory.create(Sequences.TOKENIZER, Settings.empty());
          assertEquals(name, o.name());
        });
  }

  @Test
  void customMixtureUsesTheRegistryAndListsValidNames() {
    ObjectiveFactory mixture = registry().get("mixture");
    ObjectiveMixture m =
        (ObjectiveMixture)
            mixture.create(
                Sequences.TOKENIZER,
                Settings.of(
                    Map.of(
                        "objectives.mixture.preset", "custom",
                        "objectives.mixture.components", "code-clm=3, fim=1")));
    assertEquals(2, m.components().size());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                mixture.create(
                    Sequences.TOKENIZER,
                    Settings.of(
                        Map.of(
                            "objectives.mixture.preset", "custom",
                            "objectives.mixture.components", "t5=1"))));
    assertTrue(e.getMessage().contains("objectives.mixture.components"), e.getMessage());
    assertTrue(e.getMessage().contains("span-corruption"), e.getMessage());
  }

  @Test
  void aMissingSpecialTokenNamesTheToken() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                registry()
                    .get("fim")
                    .create(new CharacterTokenizer(java.util.List.of("<eot>")), Settings.empty()));
    assertTrue(e.getMessage().contains("<fim_prefix>"), e.getMessage());
  }
}

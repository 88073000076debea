package dev.text2code.cli.wiring;

import dev.text2code.api.ComponentSelector;
import dev.text2code.api.TokenizerFactory;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.objective.ObjectiveFactory;
import dev.text2code.cli.config.RunConfigFile;
import dev.text2code.runs.RunComponents;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The named components every module contributed, each behind a provider: looking one up constructs
 * only that one, so the native libraries of unselected backends never load.
 */
public final class Components {
  private final ComponentSelector<Backend> backends;
  private final ComponentSelector<ObjectiveFactory> objectives;
  private final ComponentSelector<TokenizerFactory> tokenizers;

  @Inject
  Components(
      Map<String, Provider<Backend>> backends,
      Map<String, Provider<ObjectiveFactory>> objectives,
      Map<String, Provider<TokenizerFactory>> tokenizers) {
    this.backends = new ComponentSelector<>("backends", "backend", lazy(backends));
    this.objectives = new ComponentSelector<>("objectives", "objective", lazy(objectives));
    this.tokenizers = new ComponentSelector<>("tokenizers", "tokenizer", lazy(tokenizers));
  }

  private static <T> Map<String, Supplier<T>> lazy(Map<String, Provider<T>> providers) {
    Map<String, Supplier<T>> suppliers = new LinkedHashMap<>();
    providers.forEach((name, provider) -> suppliers.put(name, provider::get));
    return suppliers;
  }

  public ComponentSelector<Backend> backends() {
    return backends;
  }

  public ComponentSelector<ObjectiveFactory> objectives() {
    return objectives;
  }

  public ComponentSelector<TokenizerFactory> tokenizers() {
    return tokenizers;
  }

  /** What the run layer builds from configuration, with run.conf kept as HOCON. */
  public RunComponents runComponents() {
    return new RunComponents(tokenizers, objectives, new RunConfigFile());
  }
}

package dev.text2code.runs;

import dev.text2code.api.Settings;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.objective.GenerationNeeds;
import dev.text2code.api.objective.Objective;
import dev.text2code.evaluation.postprocess.StopSequences;
import dev.text2code.tokenizers.pairs.PairLayout;
import dev.text2code.tokenizers.pairs.PromptBuilder;

/**
 * A trained run directory opened for generation: the configuration it was trained with, its
 * tokenizer and router, and what its objective says generation needs.
 *
 * @param settings the run's own configuration ({@code run.conf})
 * @param objective the objective the run trained with, rebuilt from {@code settings}
 */
public record TrainedRun(
    RunLayout layout, Settings settings, RunTokenizers tokenizers, Objective objective) {
  /** Opens the run in {@code layout} (its configuration, saved router and objective). */
  public static TrainedRun open(RunComponents components, RunLayout layout) {
    Settings settings = components.settingsOf(layout);
    RunTokenizers tokenizers = RunTokenizers.of(components, settings, layout);
    Objective objective =
        components
            .objectives()
            .select(settings.string("objective"))
            .create(tokenizers.tokenizer(), settings);
    return new TrainedRun(layout, settings, tokenizers, objective);
  }

  public GenerationNeeds needs() {
    return objective.generationNeeds();
  }

  /** Prompts laid out as the run trained: plain code for code-file objectives, else its layout. */
  public PromptBuilder prompts() {
    return needs().input() == GenerationNeeds.Input.CODE
        ? PromptBuilder.raw(tokenizers.tokenizer())
        : new PromptBuilder(
            tokenizers.tokenizer(),
            PairLayout.parse(settings.string("data.layout")),
            settings.flag("data.linearize", false));
  }

  /**
   * The {@code generation.*} settings and {@code evaluation.stop} sequences of {@code config} (the
   * configuration in force now), with prompt attention as the run's objective trained the model
   * unless {@code generation.prompt-attention} says otherwise.
   */
  public GenerationConfig generationConfig(Settings config) {
    return new GenerationConfig(
        (int) config.integer("generation.max-new-tokens", 128),
        config.flag("generation.sample", false),
        config.number("generation.temperature", 0.95),
        (int) config.integer("generation.top-k", 0),
        config.number("generation.top-p", 0.8),
        (int) config.integer("generation.samples", 1),
        StopSequences.named(config.string("evaluation.stop")).stops(),
        config.integer("seed", 1234),
        true,
        prefixAttention(config, needs()));
  }

  /** The checkpoint's generator on {@code backend}, on the configured {@code device}. */
  public Generator openGenerator(Backend backend, Settings config) {
    return backend.openGenerator(layout.checkpoint(), Device.parse(config.string("device")));
  }

  /** How prompts attend: {@code generation.prompt-attention}, where auto follows the objective. */
  enum PromptAttention {
    AUTO,
    CAUSAL,
    PREFIX
  }

  /**
   * Whether prompts attend bidirectionally inside their prefix: as the objective trained the model,
   * unless {@code generation.prompt-attention} says otherwise.
   */
  public static boolean prefixAttention(Settings config, GenerationNeeds needs) {
    return switch (SettingsValues.choice(
        config, "generation.prompt-attention", PromptAttention.class)) {
      case CAUSAL -> false;
      case PREFIX -> true;
      case AUTO -> needs.prefixAttention();
    };
  }
}

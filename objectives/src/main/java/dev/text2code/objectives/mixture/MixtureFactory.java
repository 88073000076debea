package dev.text2code.objectives.mixture;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.ObjectiveFactory;
import dev.text2code.objectives.ObjectiveSettings;
import dev.text2code.objectives.causal.CausalLanguageModel;
import dev.text2code.objectives.causal.PrefixLanguageModel;
import dev.text2code.objectives.mixture.ObjectiveMixture.Component;
import dev.text2code.objectives.span.SpanCorruptionObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Builds {@code mixture} from {@code objectives.mixture.preset}:
 *
 * <ul>
 *   <li>{@code codegen2} (default): {@code clm} and {@code span-corruption-decoder}, weights {@code
 *       clm-weight} (0.5) and {@code span-corruption-weight} (0.5); the split CodeGen2 used is not
 *       published (docs/METHODS.md §3), 50/50 is the commonly quoted one.
 *   <li>{@code ul2}: UL2's denoisers (mode token, mean span, rate): R = [NLU] (3, 0.15), (8, 0.15);
 *       X = [NLG] (3, 0.5), (8, 0.5), (64, 0.15), (64, 0.5); S = [S2S] prefix-LM with a random
 *       split. The six span denoisers share {@code 1 - s-weight} equally, S gets {@code s-weight}
 *       (0.2). Span denoisers use the bidirectional-input form. The paper's exact table is not
 *       verified here (docs/METHODS.md §4.3). {@code mode-tokens} (true) prepends the mode tokens.
 *   <li>{@code custom}: {@code components} = {@code name=weight,name=weight} over the registered
 *       objectives, each built with the same settings.
 * </ul>
 *
 * UL2 and CodeGen2 span denoisers read {@code objectives.mixture.eos-token} and {@code
 * top-sentinel} like {@code span-corruption}.
 */
public final class MixtureFactory implements ObjectiveFactory {
  /** The mixture presets. */
  public enum Preset {
    CODEGEN2,
    UL2,
    CUSTOM
  }

  private final Supplier<Map<String, ObjectiveFactory>> registry;

  /**
   * @param registry the registered factories, resolved lazily (the mixture is one of them)
   */
  public MixtureFactory(Supplier<Map<String, ObjectiveFactory>> registry) {
    this.registry = registry;
  }

  @Override
  public String name() {
    return ObjectiveMixture.NAME;
  }

  @Override
  public String description() {
    return "weighted mixture chosen per example: CodeGen2 CLM + span corruption, UL2 denoisers, or"
        + " custom (objectives.mixture.preset)";
  }

  @Override
  public Objective create(Tokenizer tokenizer, Settings settings) {
    ObjectiveSettings s = new ObjectiveSettings(settings, ObjectiveMixture.NAME);
    Preset preset = s.choice("preset", Preset.CODEGEN2, Preset.class);
    return switch (preset) {
      case CODEGEN2 -> codeGen2(tokenizer, settings, s);
      case UL2 -> ul2(tokenizer, settings, s);
      case CUSTOM -> custom(tokenizer, settings, s);
    };
  }

  private ObjectiveMixture codeGen2(Tokenizer tokenizer, Settings settings, ObjectiveSettings s) {
    double clm = s.number("clm-weight", 0.5, 1e-9, 1e9);
    double span = s.number("span-corruption-weight", 0.5, 1e-9, 1e9);
    SpanCorruptionObjective corruption =
        SpanCorruptionObjective.create(
            tokenizer, settings, SpanCorruptionObjective.Form.DECODER_ONLY);
    return new ObjectiveMixture(
        List.of(
            new Component("clm", clm, new CausalLanguageModel(), OptionalInt.empty()),
            new Component("span-corruption-decoder", span, corruption, OptionalInt.empty())));
  }

  private ObjectiveMixture ul2(Tokenizer tokenizer, Settings settings, ObjectiveSettings s) {
    double sWeight = s.number("s-weight", 0.2, 1e-9, 0.999999);
    boolean modeTokens = s.flag("mode-tokens", true);
    SpanCorruptionObjective.Sentinels sentinels =
        SpanCorruptionObjective.Sentinels.from(tokenizer, s);
    String eos = s.string("eos-token", "<eot>");
    OptionalInt eosId =
        eos.equalsIgnoreCase("none")
            ? OptionalInt.empty()
            : OptionalInt.of(tokenizer.specialTokenId(eos));
    double[][] denoisers = {{3, 0.15}, {8, 0.15}, {3, 0.5}, {8, 0.5}, {64, 0.15}, {64, 0.5}};
    List<Component> components = new ArrayList<>();
    for (double[] d : denoisers) {
      boolean regular = d[0] < 64 && d[1] < 0.5;
      String mode = regular ? "[NLU]" : "[NLG]";
      components.add(
          new Component(
              (regular ? "R" : "X") + "(mu=" + (int) d[0] + ",r=" + d[1] + ")",
              (1 - sWeight) / denoisers.length,
              new SpanCorruptionObjective(
                  SpanCorruptionObjective.Form.ENCODER_DECODER, d[1], d[0], sentinels, eosId),
              modeTokens ? OptionalInt.of(tokenizer.specialTokenId(mode)) : OptionalInt.empty()));
    }
    components.add(
        new Component(
            "S(prefix-lm)",
            sWeight,
            new PrefixLanguageModel(PrefixLanguageModel.Split.RANDOM),
            modeTokens ? OptionalInt.of(tokenizer.specialTokenId("[S2S]")) : OptionalInt.empty()));
    return new ObjectiveMixture(components);
  }

  private ObjectiveMixture custom(Tokenizer tokenizer, Settings settings, ObjectiveSettings s) {
    String spec = s.string("components", "");
    Map<String, ObjectiveFactory> factories = registry.get();
    List<String> valid =
        factories.keySet().stream().filter(n -> !n.equals(ObjectiveMixture.NAME)).sorted().toList();
    if (spec.isEmpty()) {
      throw s.invalid("components", "(not set)", "name=weight,... over " + valid);
    }
    List<Component> components = new ArrayList<>();
    for (String part : spec.split(",")) {
      String[] nameWeight = part.trim().split("=");
      if (nameWeight.length != 2) {
        throw s.invalid("components", spec, "name=weight,... over " + valid);
      }
      String name = nameWeight[0].trim();
      ObjectiveFactory factory = factories.get(name);
      if (factory == null || name.equals(ObjectiveMixture.NAME)) {
        throw s.invalid(
            "components", spec, "known objectives only; " + name + " is not one of " + valid);
      }
      double weight;
      try {
        weight = Double.parseDouble(nameWeight[1].trim());
      } catch (NumberFormatException e) {
        throw new ConfigurationException(
            s.key("components")
                + ": weight of "
                + name
                + " = "
                + nameWeight[1]
                + " is not a number");
      }
      if (!(weight > 0)) {
        throw s.invalid("components", spec, "positive weights; " + name + " has " + weight);
      }
      components.add(
          new Component(name, weight, factory.create(tokenizer, settings), OptionalInt.empty()));
    }
    return new ObjectiveMixture(components);
  }
}

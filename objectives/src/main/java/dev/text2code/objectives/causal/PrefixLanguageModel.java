package dev.text2code.objectives.causal;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.GenerationNeeds;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import dev.text2code.objectives.ObjectiveSettings;
import java.util.random.RandomGenerator;

/**
 * {@code prefix-lm}: the first {@code P} positions see each other, the rest is causal, loss on
 * every target after the prefix. {@code P} is either the sequence's own prefix ({@code prefixIndex
 * + 1}, split {@code given}) or drawn uniformly from {@code [1, n - 1]} (split {@code random}).
 */
public final class PrefixLanguageModel implements Objective {
  public static final String NAME = "prefix-lm";

  /** Where the prefix ends. */
  public enum Split {
    GIVEN,
    RANDOM
  }

  private final Split split;

  public PrefixLanguageModel(Split split) {
    this.split = split;
  }

  /** Reads {@code objectives.prefix-lm.split} (given | random, default given). */
  public static PrefixLanguageModel fromSettings(Settings settings) {
    return new PrefixLanguageModel(
        new ObjectiveSettings(settings, NAME).choice("split", Split.GIVEN, Split.class));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Prompts attend as this objective trained the model: bidirectionally inside the prefix. */
  @Override
  public GenerationNeeds generationNeeds() {
    return GenerationNeeds.PREFIX_PAIRS;
  }

  public Split split() {
    return split;
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    int n = sequence.length();
    int prefixLength;
    if (split == Split.GIVEN) {
      if (!sequence.hasPrefix()) {
        throw new InvalidInputException(
            "prefix-lm with split = given needs a sequence with a prefix (prefixIndex >= 0); this"
                + " sequence has none. Use objectives.prefix-lm.split = random for plain documents");
      }
      prefixLength = sequence.prefixIndex() + 1;
    } else {
      prefixLength = n < 2 ? n : 1 + random.nextInt(n - 1);
    }
    int p = prefixLength;
    return Examples.shiftedFrom(sequence.ids(), sequence.modalityCodes(), p, p);
  }
}

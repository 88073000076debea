package dev.text2code.objectives.causal;

import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import java.util.random.RandomGenerator;

/** {@code clm}: plain causal language modelling, loss on every next token (text and code). */
public final class CausalLanguageModel implements Objective {
  public static final String NAME = "clm";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    return Examples.shiftedFrom(sequence.ids(), sequence.modalityCodes(), 0, 0);
  }
}

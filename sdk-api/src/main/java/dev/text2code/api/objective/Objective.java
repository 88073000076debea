package dev.text2code.api.objective;

import dev.text2code.api.TokenSequence;
import java.util.random.RandomGenerator;

/**
 * A training objective: a pure function of its input and the random generator it is given. It never
 * mutates its input and never touches a global random source, so the same seed gives the same
 * example on every machine.
 */
public interface Objective {
  /** The configuration name, for example {@code code-clm}. */
  String name();

  /** Builds one example from a (routed) token sequence. */
  TrainingExample apply(TokenSequence sequence, RandomGenerator random);

  /**
   * What generating with a model this objective trained needs (input kind, prompt attention,
   * infilling); by default paper-layout pairs, prompted causally, without infilling.
   */
  default GenerationNeeds generationNeeds() {
    return GenerationNeeds.CAUSAL_PAIRS;
  }
}

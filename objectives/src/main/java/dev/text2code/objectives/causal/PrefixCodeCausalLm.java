package dev.text2code.objectives.causal;

import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.GenerationNeeds;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import java.util.random.RandomGenerator;

/**
 * {@code prefix-code-clm}: bidirectional attention over the text prefix including its separator
 * ({@code 0..prefixIndex}), causal over the code, loss on the code as in {@link CodeOnlyCausalLm}.
 */
public final class PrefixCodeCausalLm implements Objective {
  public static final String NAME = "prefix-code-clm";

  @Override
  public String name() {
    return NAME;
  }

  /** Prompts attend as this objective trained the model: bidirectionally inside the prefix. */
  @Override
  public GenerationNeeds generationNeeds() {
    return GenerationNeeds.PREFIX_PAIRS;
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    return Examples.shifted(
        sequence.ids(),
        sequence.modalityCodes(),
        target -> CodeOnlyCausalLm.hasCodeLoss(sequence, target),
        sequence.prefixIndex() + 1);
  }
}

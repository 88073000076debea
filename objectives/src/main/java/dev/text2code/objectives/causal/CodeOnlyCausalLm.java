package dev.text2code.objectives.causal;

import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import java.util.random.RandomGenerator;

/**
 * {@code code-clm}: causal attention over the whole sequence, loss only where the target is a code
 * token after the text prefix.
 *
 * <p>"After the prefix" matters for the PyCodeGPT layout, whose signature is code (for the
 * vocabulary) but sits before {@code <python>} and gets no loss, as in the paper's code.
 */
public final class CodeOnlyCausalLm implements Objective {
  public static final String NAME = "code-clm";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    return Examples.shifted(
        sequence.ids(), sequence.modalityCodes(), target -> hasCodeLoss(sequence, target), 0);
  }

  /** Whether the token at {@code position} is a target of the code-only loss. */
  public static boolean hasCodeLoss(TokenSequence sequence, int position) {
    return sequence.isCode(position) && position > sequence.prefixIndex();
  }
}

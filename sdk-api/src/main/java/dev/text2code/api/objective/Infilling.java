package dev.text2code.api.objective;

import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;

/** The infill prompt of an objective trained to fill in the code between a prefix and a suffix. */
public interface Infilling {
  /**
   * @param tokenizer the tokenizer the model was trained with
   * @param head what precedes the infill markers (a described text prefix), possibly empty
   * @param before the code before the gap
   * @param after the code after the gap
   * @param variant one of the objective's layouts (for example {@code psm} or {@code spm}), or
   *     empty for its default
   * @throws dev.text2code.api.ConfigurationException when the variant is not one of its layouts
   */
  InfillPrompt prompt(
      Tokenizer tokenizer, TokenSequence head, String before, String after, String variant);
}

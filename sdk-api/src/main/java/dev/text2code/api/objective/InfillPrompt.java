package dev.text2code.api.objective;

import dev.text2code.api.TokenSequence;
import java.util.List;
import java.util.Objects;

/**
 * A generation input that asks a model trained with an infilling objective for the code between a
 * prefix and a suffix, laid out exactly as that objective laid out its training examples. The
 * generated text is the middle.
 *
 * @param tokens the prompt (tokenizer ids with modalities; the text prefix, if any, keeps its
 *     prefix index)
 * @param stopSequences where the middle ends: the spelling of the token that closed it in training
 *     (pass them as {@code GenerationConfig.stopSequences})
 */
public record InfillPrompt(TokenSequence tokens, List<String> stopSequences) {
  public InfillPrompt {
    Objects.requireNonNull(tokens, "tokens");
    stopSequences = List.copyOf(stopSequences);
  }
}

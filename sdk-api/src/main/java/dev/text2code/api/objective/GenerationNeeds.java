package dev.text2code.api.objective;

import java.util.Objects;
import java.util.Optional;

/**
 * What a model trained with an objective needs when it generates, declared by the objective so that
 * callers never recognise objectives by name: what its inputs are, how its prompts attend, and
 * whether (and how) it fills in a gap.
 *
 * @param input what the objective was trained on, so what a prompt must look like
 * @param prefixAttention whether the prompt's text prefix attends bidirectionally, as in training
 * @param infilling the objective's own infill prompt layout, when it was trained to fill in gaps
 */
public record GenerationNeeds(Input input, boolean prefixAttention, Optional<Infilling> infilling) {
  /** A text-code pair in the paper layout, prompted causally, no infilling. */
  public static final GenerationNeeds CAUSAL_PAIRS =
      new GenerationNeeds(Input.PAIRS, false, Optional.empty());

  /** A text-code pair in the paper layout whose text prefix attends bidirectionally (prefix LM). */
  public static final GenerationNeeds PREFIX_PAIRS =
      new GenerationNeeds(Input.PAIRS, true, Optional.empty());

  public GenerationNeeds {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(infilling, "infilling");
  }

  /** The kind of sequence an objective reads. */
  public enum Input {
    /** Text-code pairs in a paper layout, routed to their modality's embedding rows. */
    PAIRS,
    /** Whole code files as plain tokenizer ids (CERT, which has no embedding separation). */
    CODE
  }
}

package dev.text2code.objectives.span;

import dev.text2code.api.TokenSequence;
import java.util.Objects;

/**
 * The encoder-decoder form of one span-corrupted sequence, as T5 feeds it: {@code inputs}
 * (non-noise tokens, one sentinel per noise span, EOS) and {@code targets} (one sentinel per
 * non-noise span followed by the noise tokens it hides, EOS). Modalities: a sentinel takes the
 * modality of the first token it replaces, EOS that of the last token of the original.
 */
public record SpanCorruptionPair(TokenSequence inputs, TokenSequence targets) {
  public SpanCorruptionPair {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(targets, "targets");
  }
}

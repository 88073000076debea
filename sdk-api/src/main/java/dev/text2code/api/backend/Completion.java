package dev.text2code.api.backend;

import dev.text2code.api.TokenIds;

/**
 * One generated continuation.
 *
 * @param tokenIds the generated tokenizer ids (replicated rows mapped back), stop sequence excluded
 * @param text the decoded continuation, cut before the stop sequence
 * @param finishReason why generation ended
 */
public record Completion(TokenIds tokenIds, String text, FinishReason finishReason) {
  public enum FinishReason {
    STOP_SEQUENCE,
    END_TOKEN,
    MAX_TOKENS
  }
}

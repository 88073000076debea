package dev.text2code.tokenizers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How every tokenizer of this module gives ids to special tokens added with {@code
 * withSpecialTokens}.
 */
public final class SpecialTokenIds {
  private SpecialTokenIds() {}

  /**
   * The ids of the tokens that are new: tokens already {@code known} are skipped, a token the
   * {@code vocabulary} spells keeps its id, any other gets the next free id from {@code nextId} up,
   * in the given order.
   *
   * @return new token -> id, in order (empty when nothing is new)
   * @throws IllegalArgumentException for an empty or null token
   */
  public static Map<String, Integer> assign(
      List<String> tokens,
      Map<String, Integer> known,
      Map<String, Integer> vocabulary,
      int nextId) {
    Map<String, Integer> fresh = new LinkedHashMap<>();
    int next = nextId;
    for (String token : tokens) {
      if (token == null || token.isEmpty()) {
        throw new IllegalArgumentException("special tokens must be non-empty; got " + tokens);
      }
      if (known.containsKey(token) || fresh.containsKey(token)) continue;
      Integer existing = vocabulary.get(token);
      fresh.put(token, existing != null ? existing : next++);
    }
    return fresh;
  }
}

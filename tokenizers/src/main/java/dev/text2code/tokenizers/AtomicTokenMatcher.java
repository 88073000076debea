package dev.text2code.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Finds atomic (special or added) tokens in text, leftmost first and longest at a position, the way
 * Hugging Face's added vocabulary does, so that they are never split by the encoder.
 */
public final class AtomicTokenMatcher {
  /** Receives the pieces of a text in order. */
  public interface Visitor {
    /** A stretch of ordinary text {@code text[from, to)}, never empty. */
    void text(String text, int from, int to);

    /** An atomic token. */
    void token(int id);
  }

  private final BitSet firstChars = new BitSet();
  private final Map<Character, String[]> byFirstChar = new HashMap<>();
  private final Map<String, Integer> ids;

  public AtomicTokenMatcher(Map<String, Integer> tokens) {
    this.ids = Map.copyOf(tokens);
    Map<Character, List<String>> groups = new HashMap<>();
    for (String token : tokens.keySet()) {
      if (token.isEmpty()) {
        throw new IllegalArgumentException("an atomic token must not be empty");
      }
      groups.computeIfAbsent(token.charAt(0), c -> new ArrayList<>()).add(token);
      firstChars.set(token.charAt(0));
    }
    // Longest first, so the first candidate that matches is the longest one.
    groups.forEach(
        (c, list) -> {
          String[] sorted = list.toArray(String[]::new);
          Arrays.sort(
              sorted, Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
          byFirstChar.put(c, sorted);
        });
  }

  public boolean isEmpty() {
    return ids.isEmpty();
  }

  /** Splits {@code text} into ordinary stretches and atomic tokens. */
  public void split(String text, Visitor visitor) {
    int start = 0;
    int n = text.length();
    if (!ids.isEmpty()) {
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (!firstChars.get(c)) continue;
        for (String candidate : byFirstChar.get(c)) {
          if (text.startsWith(candidate, i)) {
            if (i > start) visitor.text(text, start, i);
            visitor.token(ids.get(candidate));
            i += candidate.length() - 1;
            start = i + 1;
            break;
          }
        }
      }
    }
    if (start < n) visitor.text(text, start, n);
  }

  /**
   * Encodes {@code text}: each atomic token becomes its id, and each ordinary stretch between them
   * is handed to {@code ordinary} together with the buffer its ids go to.
   */
  public int[] encode(String text, BiConsumer<String, IntBuffer> ordinary) {
    IntBuffer out = new IntBuffer();
    split(
        text,
        new Visitor() {
          @Override
          public void text(String t, int from, int to) {
            ordinary.accept(t.substring(from, to), out);
          }

          @Override
          public void token(int id) {
            out.add(id);
          }
        });
    return out.toArray();
  }
}

package dev.text2code.tokenizers.routing;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.IdentityRouter;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/** Builds the router for a separation mode and extends tokenizers with the router's new tokens. */
public final class ModalityRouters {
  private ModalityRouters() {}

  /**
   * NONE: identity; PARTIAL: the shipped Python token list (with word-initial spellings); FULL:
   * every non-special token of the vocabulary.
   */
  public static ModalityRouter build(Tokenizer tokenizer, Separation separation) {
    return switch (separation) {
      case NONE -> new IdentityRouter(tokenizer.vocabularySize());
      case PARTIAL ->
          replicate(
              tokenizer,
              Separation.PARTIAL,
              PythonTokenList.withWordInitialSpellings(PythonTokenList.shipped(), tokenizer));
      case FULL -> replicate(tokenizer, Separation.FULL, vocabulary(tokenizer));
    };
  }

  /** Every spelling of the vocabulary that is not a special token, ids in gaps skipped. */
  static List<String> vocabulary(Tokenizer tokenizer) {
    Set<Integer> special = new java.util.HashSet<>(tokenizer.specialTokens().values());
    List<String> tokens = new ArrayList<>(tokenizer.vocabularySize());
    for (int id = 0; id < tokenizer.vocabularySize(); id++) {
      if (special.contains(id)) continue;
      try {
        tokens.add(tokenizer.tokenOf(id));
      } catch (IllegalArgumentException e) {
        // an unused id (tiktoken's cl100k has gaps)
      }
    }
    return tokens;
  }

  /**
   * The paper's vocabulary extension: for X in sorted(set(extra)), special tokens skipped; X in the
   * vocabulary gets a replica {@code [_DUP_]X} at the next id; X not in it gets the next id and its
   * replica the one after.
   */
  public static ReplicatingRouter replicate(
      Tokenizer tokenizer, Separation separation, List<String> extraTokens) {
    if (separation == Separation.NONE) {
      throw new ConfigurationException(
          "separation = none has no replicated tokens; use ModalityRouters.build");
    }
    TreeSet<String> sorted = new TreeSet<>(ModalityRouters::compareCodePoints);
    sorted.addAll(extraTokens);
    Map<String, Integer> special = tokenizer.specialTokens();
    int next = tokenizer.vocabularySize();
    Map<Integer, Integer> replicated = new HashMap<>();
    Map<Integer, String> newTokens = new HashMap<>();
    for (String token : sorted) {
      if (special.containsKey(token)) continue;
      OptionalInt existing = tokenizer.idOf(token);
      int original;
      if (existing.isPresent()) {
        original = existing.getAsInt();
      } else {
        original = next++;
        newTokens.put(original, token);
      }
      int replica = next++;
      newTokens.put(replica, ReplicatingRouter.DUP_PREFIX + token);
      replicated.put(original, replica);
    }
    return new ReplicatingRouter(separation, tokenizer.vocabularySize(), replicated, newTokens);
  }

  /** Python's str ordering (by code point), which differs from String.compareTo above U+FFFF. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * The tokenizer extended with the router's new tokens, so that it can encode list entries that
   * were missing from its vocabulary and decode every row the router maps back to. Identity routers
   * return the tokenizer unchanged.
   *
   * @throws ConfigurationException when the router was built for another vocabulary size
   */
  public static Tokenizer extend(Tokenizer tokenizer, ModalityRouter router) {
    if (router.vocabularySize() != tokenizer.vocabularySize()) {
      throw new ConfigurationException(
          "router vocabulary size "
              + router.vocabularySize()
              + " does not match tokenizer "
              + tokenizer.name()
              + " with "
              + tokenizer.vocabularySize()
              + " ids; build or load the router for this tokenizer");
    }
    if (!(router instanceof ReplicatingRouter replicating) || replicating.newTokens().isEmpty()) {
      return tokenizer;
    }
    Tokenizer extended = tokenizer.withSpecialTokens(replicating.newTokenSpellings());
    if (extended.vocabularySize() != router.embeddingRows()) {
      throw new ConfigurationException(
          "extending "
              + tokenizer.name()
              + " gave "
              + extended.vocabularySize()
              + " ids, expected "
              + router.embeddingRows());
    }
    return extended;
  }
}

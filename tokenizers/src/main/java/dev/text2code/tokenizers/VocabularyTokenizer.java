package dev.text2code.tokenizers;

import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The part a tokenizer.json tokenizer shares whatever encodes it: a vocabulary (spelling -> id)
 * plus added tokens, which are atomic and win over a vocabulary entry of the same spelling. Ids run
 * up to the largest id of either; an id neither names is a hole that {@link #tokenOf} rejects.
 */
public abstract class VocabularyTokenizer implements Tokenizer {
  private final String name;
  private final Map<String, Integer> vocabulary;
  private final Map<String, Integer> added;
  private final String[] spellings;
  private final int vocabularySize;

  /**
   * @param vocabulary kept as given (callers pass an unmodifiable map)
   * @param added copied, in order
   */
  protected VocabularyTokenizer(
      String name, Map<String, Integer> vocabulary, Map<String, Integer> added) {
    this.name = name;
    this.vocabulary = vocabulary;
    this.added = Collections.unmodifiableMap(new LinkedHashMap<>(added));
    int max = -1;
    for (int id : vocabulary.values()) max = Math.max(max, id);
    for (int id : added.values()) max = Math.max(max, id);
    this.vocabularySize = max + 1;
    this.spellings = new String[vocabularySize];
    vocabulary.forEach((token, id) -> spellings[id] = token);
    added.forEach((token, id) -> spellings[id] = token);
  }

  /** The model's own vocabulary, added tokens not included. */
  protected final Map<String, Integer> vocabulary() {
    return vocabulary;
  }

  /**
   * The ids {@code tokens} would get as new special tokens, following {@link SpecialTokenIds}: only
   * the tokens not added yet, in order.
   */
  protected final Map<String, Integer> newSpecialTokenIds(List<String> tokens) {
    return SpecialTokenIds.assign(tokens, added, vocabulary, vocabularySize);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String decode(TokenIds ids) {
    return decode(ids, false);
  }

  @Override
  public final int vocabularySize() {
    return vocabularySize;
  }

  /** The added tokens of the file (and of {@code withSpecialTokens}), in order. */
  @Override
  public final Map<String, Integer> specialTokens() {
    return added;
  }

  @Override
  public final String tokenOf(int id) {
    if (id < 0 || id >= vocabularySize || spellings[id] == null) {
      throw new IllegalArgumentException(
          "token id " + id + " is not in " + name + " (ids are in [0, " + vocabularySize + "))");
    }
    return spellings[id];
  }

  @Override
  public final OptionalInt idOf(String token) {
    Integer id = added.get(token);
    if (id == null) id = vocabulary.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public String toString() {
    return name + " (" + vocabularySize + " ids, " + added.size() + " added tokens)";
  }
}

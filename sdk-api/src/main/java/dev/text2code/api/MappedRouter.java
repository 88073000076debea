package dev.text2code.api;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A router given by its replication map (METHODS.md section 1.3): code-side tokens whose id is a
 * key are routed to the mapped row, everything else keeps its id. This one class expresses NONE
 * (empty map), PARTIAL and FULL; it is also how a checkpoint stores and restores any router.
 */
public final class MappedRouter implements ModalityRouter {
  private final Separation separation;
  private final int vocabularySize;
  private final int embeddingRows;
  private final Map<Integer, Integer> replicated;
  private final Map<Integer, Integer> originals;

  /**
   * @param vocabularySize the tokenizer's vocabulary size before extension
   * @param embeddingRows rows of the embedding; every key and value of the map lies below it
   * @param replicated original row -> replica row
   */
  public MappedRouter(
      Separation separation,
      int vocabularySize,
      int embeddingRows,
      Map<Integer, Integer> replicated) {
    this.separation = Objects.requireNonNull(separation, "separation");
    ConfigurationException.require(
        vocabularySize > 0, "vocabulary size", vocabularySize, "a positive integer");
    ConfigurationException.require(
        embeddingRows >= vocabularySize,
        "embedding rows",
        embeddingRows,
        ">= vocabulary size " + vocabularySize);
    this.vocabularySize = vocabularySize;
    this.embeddingRows = embeddingRows;
    TreeMap<Integer, Integer> map = new TreeMap<>(replicated);
    Map<Integer, Integer> inverse = new HashMap<>();
    for (Map.Entry<Integer, Integer> e : map.entrySet()) {
      int k = e.getKey();
      int v = e.getValue();
      if (k < 0 || k >= embeddingRows || v < 0 || v >= embeddingRows || k == v) {
        throw new ConfigurationException(
            "replication "
                + k
                + " -> "
                + v
                + " is not valid; both rows must differ and lie in [0, "
                + embeddingRows
                + ")");
      }
      if (inverse.put(v, k) != null || map.containsKey(v)) {
        throw new ConfigurationException(
            "row " + v + " is the replica of more than one row or also an original");
      }
    }
    if (separation == Separation.NONE && !map.isEmpty()) {
      throw new ConfigurationException(
          "separation none cannot have replicated rows (" + map.size() + " given)");
    }
    this.replicated = Collections.unmodifiableMap(map);
    this.originals = inverse;
  }

  /** A snapshot of any router. */
  public static MappedRouter copyOf(ModalityRouter router) {
    if (router instanceof MappedRouter m) return m;
    return new MappedRouter(
        router.separation(),
        router.vocabularySize(),
        router.embeddingRows(),
        router.replicatedRows());
  }

  @Override
  public Separation separation() {
    return separation;
  }

  @Override
  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  public int embeddingRows() {
    return embeddingRows;
  }

  @Override
  public int route(int tokenId, Modality modality) {
    if (tokenId < 0 || tokenId >= embeddingRows) {
      throw new IllegalArgumentException(
          "token id " + tokenId + " is outside [0, " + embeddingRows + ")");
    }
    if (modality == Modality.CODE) {
      Integer replica = replicated.get(tokenId);
      if (replica != null) return replica;
    }
    return tokenId;
  }

  @Override
  public Map<Integer, Integer> replicatedRows() {
    return replicated;
  }

  @Override
  public boolean[] codeVocabularyMask() {
    boolean[] mask = new boolean[embeddingRows];
    java.util.Arrays.fill(mask, true);
    for (int original : replicated.keySet()) mask[original] = false;
    return mask;
  }

  @Override
  public boolean[] textVocabularyMask() {
    boolean[] mask = new boolean[embeddingRows];
    java.util.Arrays.fill(mask, true);
    for (int replica : replicated.values()) mask[replica] = false;
    return mask;
  }

  @Override
  public boolean isTokenId(int id) {
    return id >= 0 && id < embeddingRows && !originals.containsKey(id);
  }

  @Override
  public int tokenIdOf(int row) {
    if (row < 0 || row >= embeddingRows) {
      throw new IllegalArgumentException("row " + row + " is outside [0, " + embeddingRows + ")");
    }
    return originals.getOrDefault(row, row);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MappedRouter m
        && separation == m.separation
        && vocabularySize == m.vocabularySize
        && embeddingRows == m.embeddingRows
        && replicated.equals(m.replicated);
  }

  @Override
  public int hashCode() {
    return Objects.hash(separation, vocabularySize, embeddingRows, replicated);
  }
}

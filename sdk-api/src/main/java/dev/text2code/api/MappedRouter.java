package dev.text2code.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A router given by its replication map (docs/METHODS.md section 1.3): code-side tokens whose id is
 * a key are routed to the mapped row, everything else keeps its id. This one class expresses NONE
 * (empty map), PARTIAL and FULL; it is also how a checkpoint stores and restores any router.
 */
public final class MappedRouter implements ModalityRouter {
  private final Separation separation;
  private final int vocabularySize;
  private final int embeddingRows;
  private final Map<Integer, Integer> replicated;
  // Dense lookups: route() runs once per token on the data path.
  private final int[] replicaOf;
  private final int[] originalOf;

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
    int[] replicas = new int[embeddingRows];
    int[] originalRows = new int[embeddingRows];
    java.util.Arrays.fill(replicas, -1);
    java.util.Arrays.fill(originalRows, -1);
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
      if (originalRows[v] >= 0 || map.containsKey(v)) {
        throw new ConfigurationException(
            "row " + v + " is the replica of more than one row or also an original");
      }
      originalRows[v] = k;
      replicas[k] = v;
    }
    if (separation == Separation.NONE && !map.isEmpty()) {
      throw new ConfigurationException(
          "separation none cannot have replicated rows (" + map.size() + " given)");
    }
    this.replicated = Collections.unmodifiableMap(map);
    this.replicaOf = replicas;
    this.originalOf = originalRows;
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
    if (modality == Modality.CODE && replicaOf[tokenId] >= 0) return replicaOf[tokenId];
    return tokenId;
  }

  @Override
  public Map<Integer, Integer> replicatedRows() {
    return replicated;
  }

  @Override
  public boolean[] codeVocabularyMask() {
    boolean[] mask = new boolean[embeddingRows];
    for (int row = 0; row < embeddingRows; row++) mask[row] = replicaOf[row] < 0;
    return mask;
  }

  @Override
  public boolean[] textVocabularyMask() {
    boolean[] mask = new boolean[embeddingRows];
    for (int row = 0; row < embeddingRows; row++) mask[row] = originalOf[row] < 0;
    return mask;
  }

  @Override
  public boolean isTokenId(int id) {
    return id >= 0 && id < embeddingRows && originalOf[id] < 0;
  }

  /** True when the row is a replica. */
  public boolean isReplica(int row) {
    return originalOf[row] >= 0;
  }

  /** True when the row is an original that has a replica. */
  public boolean hasReplica(int row) {
    return replicaOf[row] >= 0;
  }

  @Override
  public int tokenIdOf(int row) {
    if (row < 0 || row >= embeddingRows) {
      throw new IllegalArgumentException("row " + row + " is outside [0, " + embeddingRows + ")");
    }
    return originalOf[row] >= 0 ? originalOf[row] : row;
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

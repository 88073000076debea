package dev.text2code.tokenizers.routing;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Modality;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The router for partial and full separation (METHODS.md section 1.3): code-side tokens in the map
 * use a replicated embedding row appended after the vocabulary; text tokens keep their ids. Rows
 * are also output classes (tied LM head), so the router gives the code/text output masks too.
 */
public final class ReplicatingRouter implements ModalityRouter {
  /** The prefix of a replica's spelling, as in the paper's tokenizer. */
  public static final String DUP_PREFIX = "[_DUP_]";

  private final Separation separation;
  private final int vocabularySize;
  private final int embeddingRows;
  private final int[] replicaOf;
  private final int[] originalOf;
  private final Map<Integer, Integer> replicated;
  private final Map<Integer, String> newTokens;

  /**
   * @param replicated original row -> replica row
   * @param newTokens spellings of every id from {@code vocabularySize} up: list entries missing
   *     from the vocabulary and all replicas
   */
  public ReplicatingRouter(
      Separation separation,
      int vocabularySize,
      Map<Integer, Integer> replicated,
      Map<Integer, String> newTokens) {
    ConfigurationException.require(
        separation != Separation.NONE, "separation", separation, "partial or full");
    ConfigurationException.require(
        vocabularySize > 0, "vocabulary size", vocabularySize, "a positive integer");
    this.separation = separation;
    this.vocabularySize = vocabularySize;
    this.embeddingRows = vocabularySize + newTokens.size();
    for (int id = vocabularySize; id < embeddingRows; id++) {
      ConfigurationException.require(
          newTokens.containsKey(id),
          "new token ids",
          newTokens.keySet(),
          "every id in [" + vocabularySize + ", " + embeddingRows + ")");
    }
    this.replicaOf = new int[embeddingRows];
    this.originalOf = new int[embeddingRows];
    Arrays.fill(replicaOf, -1);
    Arrays.fill(originalOf, -1);
    replicated.forEach(
        (original, replica) -> {
          ConfigurationException.require(
              original >= 0
                  && original < embeddingRows
                  && replica >= vocabularySize
                  && replica < embeddingRows
                  && !original.equals(replica),
              "replicated row " + original,
              replica,
              "a replica in [" + vocabularySize + ", " + embeddingRows + ") of a row below it");
          ConfigurationException.require(
              replicaOf[original] < 0 && originalOf[replica] < 0 && originalOf[original] < 0,
              "replicated row " + original,
              replica,
              "each row in at most one pair, and a replica never replicated again");
          replicaOf[original] = replica;
          originalOf[replica] = original;
        });
    this.replicated = Collections.unmodifiableMap(new TreeMap<>(replicated));
    this.newTokens = Collections.unmodifiableMap(new TreeMap<>(newTokens));
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
    if (modality == Modality.TEXT) return tokenId;
    int replica = replicaOf[tokenId];
    return replica >= 0 ? replica : tokenId;
  }

  @Override
  public Map<Integer, Integer> replicatedRows() {
    return replicated;
  }

  /** Spellings of the ids after the vocabulary (new list entries and {@code [_DUP_]} replicas). */
  public Map<Integer, String> newTokens() {
    return newTokens;
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
  public int tokenIdOf(int row) {
    if (row < 0 || row >= embeddingRows) {
      throw new IllegalArgumentException("row " + row + " is outside [0, " + embeddingRows + ")");
    }
    int original = originalOf[row];
    return original >= 0 ? original : row;
  }

  /** The new token spellings in id order, for {@code tokenizer.withSpecialTokens}. */
  java.util.List<String> newTokenSpellings() {
    return java.util.List.copyOf(new LinkedHashMap<>(newTokens).values());
  }

  @Override
  public String toString() {
    return "ReplicatingRouter{"
        + separation.configName()
        + ", vocabulary "
        + vocabularySize
        + ", rows "
        + embeddingRows
        + ", replicated "
        + replicated.size()
        + "}";
  }
}

package dev.text2code.tokenizers.routing;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The router for partial and full separation (docs/METHODS.md section 1.3): code-side tokens in the
 * map use a replicated embedding row appended after the vocabulary; text tokens keep their ids.
 * Rows are also output classes (tied LM head), so the router gives the code/text output masks too.
 */
public final class ReplicatingRouter implements ModalityRouter {
  /** The prefix of a replica's spelling, as in the paper's tokenizer. */
  public static final String DUP_PREFIX = "[_DUP_]";

  private final MappedRouter mapped;
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
    int embeddingRows = vocabularySize + newTokens.size();
    for (int id = vocabularySize; id < embeddingRows; id++) {
      ConfigurationException.require(
          newTokens.containsKey(id),
          "new token ids",
          newTokens.keySet(),
          "every id in [" + vocabularySize + ", " + embeddingRows + ")");
    }
    // Replicas always sit after the vocabulary; MappedRouter checks the rest of the pairing.
    replicated.forEach(
        (original, replica) ->
            ConfigurationException.require(
                original >= 0 && replica >= vocabularySize && replica < embeddingRows,
                "replicated row " + original,
                replica,
                "a replica in [" + vocabularySize + ", " + embeddingRows + ") of a row below it"));
    this.mapped = new MappedRouter(separation, vocabularySize, embeddingRows, replicated);
    this.newTokens = Collections.unmodifiableMap(new TreeMap<>(newTokens));
  }

  @Override
  public Separation separation() {
    return mapped.separation();
  }

  @Override
  public int vocabularySize() {
    return mapped.vocabularySize();
  }

  @Override
  public int embeddingRows() {
    return mapped.embeddingRows();
  }

  @Override
  public int route(int tokenId, Modality modality) {
    return mapped.route(tokenId, modality);
  }

  @Override
  public Map<Integer, Integer> replicatedRows() {
    return mapped.replicatedRows();
  }

  /** Spellings of the ids after the vocabulary (new list entries and {@code [_DUP_]} replicas). */
  public Map<Integer, String> newTokens() {
    return newTokens;
  }

  /** True when the row is a replica. */
  public boolean isReplica(int row) {
    return mapped.isReplica(row);
  }

  /** True when the row is an original that has a replica. */
  public boolean hasReplica(int row) {
    return mapped.hasReplica(row);
  }

  @Override
  public boolean[] codeVocabularyMask() {
    return mapped.codeVocabularyMask();
  }

  @Override
  public boolean[] textVocabularyMask() {
    return mapped.textVocabularyMask();
  }

  @Override
  public boolean isTokenId(int id) {
    return mapped.isTokenId(id);
  }

  @Override
  public int tokenIdOf(int row) {
    return mapped.tokenIdOf(row);
  }

  /** The new token spellings in id order, for {@code tokenizer.withSpecialTokens}. */
  java.util.List<String> newTokenSpellings() {
    return java.util.List.copyOf(new LinkedHashMap<>(newTokens).values());
  }

  @Override
  public String toString() {
    return "ReplicatingRouter{"
        + separation().configName()
        + ", vocabulary "
        + vocabularySize()
        + ", rows "
        + embeddingRows()
        + ", replicated "
        + replicatedRows().size()
        + "}";
  }
}

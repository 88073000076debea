package dev.text2code.api;

import java.util.Arrays;
import java.util.Map;

/** The router for {@link Separation#NONE}: every token keeps its id in both modalities. */
public final class IdentityRouter implements ModalityRouter {
  private final int vocabularySize;

  public IdentityRouter(int vocabularySize) {
    ConfigurationException.require(
        vocabularySize > 0, "vocabulary size", vocabularySize, "a positive integer");
    this.vocabularySize = vocabularySize;
  }

  @Override
  public Separation separation() {
    return Separation.NONE;
  }

  @Override
  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  public int embeddingRows() {
    return vocabularySize;
  }

  @Override
  public int route(int tokenId, Modality modality) {
    if (tokenId < 0 || tokenId >= vocabularySize) {
      throw new IllegalArgumentException(
          "token id " + tokenId + " is outside the vocabulary [0, " + vocabularySize + ")");
    }
    return tokenId;
  }

  @Override
  public Map<Integer, Integer> replicatedRows() {
    return Map.of();
  }

  @Override
  public boolean[] codeVocabularyMask() {
    boolean[] all = new boolean[vocabularySize];
    Arrays.fill(all, true);
    return all;
  }

  @Override
  public boolean[] textVocabularyMask() {
    return codeVocabularyMask();
  }

  @Override
  public int tokenIdOf(int row) {
    return route(row, Modality.TEXT);
  }
}

package dev.text2code.api;

import java.util.Map;

/**
 * Maps (token id, modality) to an embedding row (docs/METHODS.md section 1.3). Rows {@code [0,
 * vocabularySize)} are the tokenizer's ids; replicated code-side rows are appended after them. The
 * output layer is tied to the embedding, so rows are also the model's output classes.
 */
public interface ModalityRouter {
  Separation separation();

  /** The tokenizer vocabulary size this router was built for. */
  int vocabularySize();

  /** Number of embedding rows (= output classes): vocabulary plus appended rows. */
  int embeddingRows();

  /** The embedding row of a token in a modality. Text tokens are never remapped. */
  int route(int tokenId, Modality modality);

  /** Routes every token of a sequence by its own modality. */
  default TokenSequence route(TokenSequence sequence) {
    int[] routed = new int[sequence.length()];
    for (int i = 0; i < routed.length; i++) {
      routed[i] = route(sequence.id(i), sequence.modality(i));
    }
    return sequence.withIds(routed);
  }

  /** Original row -> replicated row, in ascending order of the original. */
  Map<Integer, Integer> replicatedRows();

  /**
   * Rows a code-target position may predict: replicated rows, and rows that are neither an original
   * with a replica nor a replica.
   */
  boolean[] codeVocabularyMask();

  /**
   * Rows a text-target position may predict: originals that have a replica, and rows outside the
   * map.
   */
  boolean[] textVocabularyMask();

  /**
   * Whether {@code id} is a token id of the (extended) tokenizer: below {@link #embeddingRows()}
   * and not a replica row. Tokens the router added to the vocabulary sit above {@link
   * #vocabularySize()} and are valid.
   */
  default boolean isTokenId(int id) {
    return id >= 0 && id < embeddingRows() && !replicatedRows().containsValue(id);
  }

  /** The tokenizer id an embedding row stands for (replicas map back to their originals). */
  int tokenIdOf(int row);

  /** Maps a sequence of rows back to token ids for decoding. */
  default TokenIds toTokenIds(int[] rows) {
    int[] ids = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      ids[i] = tokenIdOf(rows[i]);
    }
    return TokenIds.of(ids);
  }
}

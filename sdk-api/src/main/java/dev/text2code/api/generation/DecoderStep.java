package dev.text2code.api.generation;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.ModelSpec;

/**
 * A backend's decoder forward pass with a key/value cache: all a backend implements for generation.
 * {@link GenerationLoop} drives it. Not thread-safe; close to release the model's native memory.
 */
public interface DecoderStep extends AutoCloseable {
  /** The model's shape; logits have {@code spec().embeddingRows()} entries per batch row. */
  ModelSpec spec();

  /** The checkpoint's router: prompts are routed through it, generated rows map back through it. */
  ModalityRouter router();

  /** The most rows one {@link DecodeBatch} should hold. */
  int maxBatchRows();

  /**
   * Runs the prompts left-padded to the longest into a fresh cache; the batch's {@link
   * DecodeBatch#logits()} are then each row's last prompt position.
   *
   * @param rows routed embedding rows of each prompt (non-empty, at most the model's context)
   * @param prefixLengths per prompt, the leading positions attended bidirectionally (0: causal)
   * @param capacity the most cache positions the batch will reach (the longest prompt plus the
   *     tokens still to come); a step may preallocate its cache for it
   */
  DecodeBatch prefill(int[][] rows, int[] prefixLengths, int capacity);

  @Override
  void close();
}

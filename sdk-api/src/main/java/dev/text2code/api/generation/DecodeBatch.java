package dev.text2code.api.generation;

/**
 * Rows being decoded together with their KV cache, made by {@link DecoderStep#prefill}. Row {@code
 * r} of every array is batch row {@code r}. Close to release the cache.
 */
public interface DecodeBatch extends AutoCloseable {
  /** Rows in the batch. */
  int size();

  /**
   * The last position's logits of every row after the latest {@link DecoderStep#prefill} or {@link
   * #step}, {@code [size() * embeddingRows]}.
   */
  float[] logits();

  /**
   * Appends one embedding row per batch row at its next position and computes its logits. Rows that
   * have finished are fed anything (their logits are ignored); their positions may pass the model's
   * context, which a step clamps.
   */
  void step(int[] rows);

  /** Whether {@link #retain} and {@link #append} work (continuous batching). */
  default boolean reshapes() {
    return false;
  }

  /**
   * Keeps only the given rows, in the given order, with their caches; logits are undefined until
   * the next step.
   */
  default void retain(int[] keep) {
    throw new UnsupportedOperationException("this decode batch cannot drop rows");
  }

  /**
   * Appends the rows of {@code other} (a batch of the same step) after this batch's rows, and
   * closes {@code other}; logits are undefined until the next step.
   */
  default void append(DecodeBatch other) {
    throw new UnsupportedOperationException("this decode batch cannot take new rows");
  }

  @Override
  void close();
}

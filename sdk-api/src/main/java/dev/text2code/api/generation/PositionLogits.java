package dev.text2code.api.generation;

import dev.text2code.api.InvalidInputException;

/**
 * Logits at chosen positions of full sequences, from any backend's {@link DecoderStep}: for each
 * distinct position {@code p} the sequences' first {@code p + 1} rows are prefilled into a fresh
 * cache, whose last-position logits are the logits at {@code p}. It needs nothing beyond the step
 * every backend already implements, so each backend computes it with its own forward pass (a parity
 * and debugging tool: it runs one prefill per position).
 */
public final class PositionLogits {
  private PositionLogits() {}

  /**
   * Logits {@code [sequence][position][embedding row]} of {@code rows} (routed embedding rows,
   * every sequence of one length, at most the model's context) at {@code positions}.
   */
  public static float[][][] compute(DecoderStep step, int[][] rows, int[] positions) {
    check(rows, positions, step.spec().embeddingRows(), step.spec().contextLength());
    int vocabulary = step.spec().embeddingRows();
    float[][][] out = new float[rows.length][positions.length][];
    int limit = Math.max(1, step.maxBatchRows());
    for (int i = 0; i < positions.length; i++) {
      int p = positions[i];
      for (int from = 0; from < rows.length; from += limit) {
        int to = Math.min(rows.length, from + limit);
        int[][] prefixes = new int[to - from][];
        for (int s = from; s < to; s++)
          prefixes[s - from] = java.util.Arrays.copyOf(rows[s], p + 1);
        DecodeBatch batch = step.prefill(prefixes, new int[to - from], p + 1);
        try {
          float[] logits = batch.logits();
          for (int s = from; s < to; s++) {
            out[s][i] =
                java.util.Arrays.copyOfRange(
                    logits, (s - from) * vocabulary, (s - from + 1) * vocabulary);
          }
        } finally {
          batch.close();
        }
      }
    }
    return out;
  }

  /**
   * Validates a request: at least one sequence, all of one non-zero length up to {@code context},
   * every row in {@code [0, embeddingRows)}, at least one position, each in {@code [0, length)}.
   *
   * @return the common length
   */
  public static int check(int[][] rows, int[] positions, int embeddingRows, int context) {
    if (rows.length == 0) throw new InvalidInputException("no input sequences given");
    int length = rows[0].length;
    for (int s = 0; s < rows.length; s++) {
      if (rows[s].length != length) {
        throw new InvalidInputException(
            "input sequences must all have one length: sequence 0 has "
                + length
                + " ids, sequence "
                + s
                + " has "
                + rows[s].length);
      }
      for (int t = 0; t < rows[s].length; t++) {
        int id = rows[s][t];
        if (id < 0 || id >= embeddingRows) {
          throw new InvalidInputException(
              "id "
                  + id
                  + " (sequence "
                  + s
                  + ", position "
                  + t
                  + ") is outside the model's vocabulary [0, "
                  + embeddingRows
                  + ")");
        }
      }
    }
    if (length == 0) throw new InvalidInputException("input sequences are empty");
    if (length > context) {
      throw new InvalidInputException(
          "input sequences have " + length + " ids; the model's context is " + context);
    }
    if (positions.length == 0) throw new InvalidInputException("no logit positions given");
    for (int p : positions) {
      if (p < 0 || p >= length) {
        throw new InvalidInputException(
            "logit position " + p + " is outside the sequences' positions [0, " + length + ")");
      }
    }
    return length;
  }
}

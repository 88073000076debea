package dev.text2code.backend.onnx;

import dev.text2code.api.backend.GenerationConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next row from one position's logits (MODEL.md "Generation"): greedy argmax, or
 * temperature, then top-k, then top-p, then a draw. Rows outside {@code allowed} never win.
 *
 * <p>Candidates are ranked by logit, higher first, ties by the lower row. With vocabularies of 150k
 * rows a full sort per step would dominate generation, so top-k keeps a bounded heap and top-p
 * sorts only the rows above a probability threshold that provably contains the nucleus.
 */
final class TokenChooser {
  private TokenChooser() {}

  /** The random stream of one sample: depends only on the seed, prompt index and sample index. */
  static SplittableRandom randomFor(long seed, int prompt, int sample) {
    long mixed = seed;
    mixed = mixed * 0x9E3779B97F4A7C15L + prompt;
    mixed = mixed * 0xC2B2AE3D27D4EB4FL + sample;
    return new SplittableRandom(mixed);
  }

  static int choose(
      float[] logits,
      int offset,
      int rows,
      boolean[] allowed,
      GenerationConfig config,
      SplittableRandom random) {
    if (!config.sample()) return argmax(logits, offset, rows, allowed);
    long[] ranked = candidates(logits, offset, rows, allowed, config.topK()); // rank keys
    int n = ranked.length;
    int[] row = new int[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      row[i] = rowOf(ranked[i]);
      max = Math.max(max, logits[offset + row[i]]);
    }
    double inverseTemperature = 1.0 / config.temperature();
    double[] weight = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      weight[i] = Math.exp((logits[offset + row[i]] - max) * inverseTemperature);
      sum += weight[i];
    }
    int[] order; // indices into row/weight, in the order the draw walks them
    int keep;
    if (config.topP() < 1) {
      order = nucleus(ranked, weight, sum, config.topP());
      keep = order.length;
      sum = 0;
      for (int i : order) sum += weight[i];
    } else {
      order = null;
      keep = n;
    }
    double u = random.nextDouble() * sum;
    for (int j = 0; j < keep; j++) {
      int i = order == null ? j : order[j];
      u -= weight[i];
      if (u < 0) return row[i];
    }
    return row[order == null ? keep - 1 : order[keep - 1]];
  }

  /**
   * The smallest best-ranked set whose weights reach {@code topP} of {@code sum}, in rank order. It
   * lies inside {w >= t} as soon as that set's weight reaches the target, so only that set is
   * sorted; t halves until it does.
   */
  private static int[] nucleus(long[] ranked, double[] weight, double sum, double topP) {
    int n = weight.length;
    double target = topP * sum;
    double best = 0;
    for (double w : weight) best = Math.max(best, w);
    double threshold = best;
    int[] inside;
    while (true) {
      int count = 0;
      double mass = 0;
      for (int i = 0; i < n; i++) {
        if (weight[i] >= threshold) {
          count++;
          mass += weight[i];
        }
      }
      if (mass >= target || count == n || threshold == 0) {
        long[] keys = new long[count];
        inside = new int[count];
        int c = 0;
        for (int i = 0; i < n; i++)
          if (weight[i] >= threshold) keys[c++] = ranked[i] & ~0xFFFFFFFFL | i;
        Arrays.sort(keys);
        for (int i = 0; i < count; i++) inside[i] = (int) keys[i];
        break;
      }
      threshold = threshold / 2 < Double.MIN_NORMAL ? 0 : threshold / 2;
    }
    double cumulative = 0;
    for (int j = 0; j < inside.length; j++) {
      cumulative += weight[inside[j]];
      if (cumulative >= target) return Arrays.copyOf(inside, j + 1);
    }
    return inside;
  }

  /**
   * Rank keys of the allowed rows (the {@code topK} best when {@code topK > 0}): logit descending
   * in the high 32 bits, row ascending in the low 32 bits, so that ascending keys are rank order.
   */
  private static long[] candidates(
      float[] logits, int offset, int rows, boolean[] allowed, int topK) {
    int allowedCount = 0;
    for (int r = 0; r < rows; r++) if (allowed == null || allowed[r]) allowedCount++;
    if (allowedCount == 0) throw new IllegalStateException("no row is allowed");
    if (topK <= 0 || topK >= allowedCount) {
      long[] keys = new long[allowedCount];
      int c = 0;
      for (int r = 0; r < rows; r++) {
        if (allowed == null || allowed[r]) keys[c++] = key(logits[offset + r], r);
      }
      return keys;
    }
    // bounded max-heap of the topK smallest keys
    long[] heap = new long[topK];
    int size = 0;
    for (int r = 0; r < rows; r++) {
      if (allowed != null && !allowed[r]) continue;
      long k = key(logits[offset + r], r);
      if (size < topK) {
        heap[size] = k;
        siftUp(heap, size++);
      } else if (k < heap[0]) {
        heap[0] = k;
        siftDown(heap, size);
      }
    }
    Arrays.sort(heap);
    return heap;
  }

  private static long key(float logit, int row) {
    int bits = Float.floatToIntBits(logit);
    int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF); // orders like the float value
    return ((long) ~ascending << 32) | row;
  }

  private static int rowOf(long key) {
    return (int) key;
  }

  private static void siftUp(long[] heap, int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (heap[parent] >= heap[i]) return;
      long t = heap[parent];
      heap[parent] = heap[i];
      heap[i] = t;
      i = parent;
    }
  }

  private static void siftDown(long[] heap, int size) {
    int i = 0;
    while (true) {
      int largest = i;
      int l = 2 * i + 1;
      int r = l + 1;
      if (l < size && heap[l] > heap[largest]) largest = l;
      if (r < size && heap[r] > heap[largest]) largest = r;
      if (largest == i) return;
      long t = heap[largest];
      heap[largest] = heap[i];
      heap[i] = t;
      i = largest;
    }
  }

  static int argmax(float[] logits, int offset, int rows, boolean[] allowed) {
    int best = -1;
    for (int r = 0; r < rows; r++) {
      if (allowed != null && !allowed[r]) continue;
      if (best < 0 || logits[offset + r] > logits[offset + best]) best = r;
    }
    if (best < 0) throw new IllegalStateException("no row is allowed");
    return best;
  }
}

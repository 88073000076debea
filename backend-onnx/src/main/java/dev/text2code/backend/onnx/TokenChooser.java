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
    long[] ranked = candidates(logits, offset, rows, allowed, config.topK());
    int n = ranked.length;
    int[] row = new int[n];
    float[] logit = new float[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      row[i] = (int) ranked[i];
      logit[i] = logits[offset + row[i]];
      max = Math.max(max, logit[i]);
    }
    double inverseTemperature = 1.0 / config.temperature();
    double[] weight = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      weight[i] = Math.exp((logit[i] - max) * inverseTemperature);
      sum += weight[i];
    }
    boolean[] inside = null; // the nucleus, when top-p cuts
    if (config.topP() < 1) {
      inside = nucleus(logit, row, weight, config.topP() * sum);
      sum = 0;
      for (int i = 0; i < n; i++) if (inside[i]) sum += weight[i];
    }
    // the draw walks the candidates in their order (rows ascending, or rank order under top-k)
    double u = random.nextDouble() * sum;
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (inside != null && !inside[i]) continue;
      last = i;
      u -= weight[i];
      if (u < 0) return row[i];
    }
    return row[last];
  }

  private static final int BUCKETS = 4096;

  /**
   * Marks the nucleus: the smallest best-ranked set of candidates whose weight reaches {@code
   * target}. Candidates fall into buckets by logit (monotone, so buckets respect the ranking);
   * whole buckets are in or out by their mass, and only the bucket where the mass crosses the
   * target is sorted. Linear and sequential whatever the size of the nucleus.
   */
  private static boolean[] nucleus(float[] logit, int[] row, double[] weight, double target) {
    int n = weight.length;
    float best = Float.NEGATIVE_INFINITY;
    float worst = Float.POSITIVE_INFINITY;
    for (float l : logit) {
      best = Math.max(best, l);
      worst = Math.min(worst, l);
    }
    double scale = best > worst ? BUCKETS / ((double) best - worst) : 0;
    int[] bucket = new int[n];
    double[] mass = new double[BUCKETS];
    for (int i = 0; i < n; i++) {
      bucket[i] = (int) Math.min(BUCKETS - 1, ((double) best - logit[i]) * scale);
      mass[bucket[i]] += weight[i];
    }
    int crossing = 0;
    double before = 0;
    while (crossing < BUCKETS - 1 && before + mass[crossing] < target) before += mass[crossing++];
    int count = 0;
    for (int i = 0; i < n; i++) if (bucket[i] == crossing) count++;
    long[] keys = new long[count]; // rank keys of the crossing bucket, low bits: candidate index
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (bucket[i] == crossing) keys[c++] = (key(logit[i], row[i]) & ~0xFFFFFFFFL) | i;
    }
    java.util.Arrays.sort(keys); // equal logits: the candidate index order is the row order
    boolean[] inside = new boolean[n];
    for (int i = 0; i < n; i++) inside[i] = bucket[i] < crossing;
    double cumulative = before;
    for (long k : keys) {
      inside[(int) k] = true;
      cumulative += weight[(int) k];
      if (cumulative >= target) break;
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

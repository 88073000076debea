package dev.text2code.api.backend;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Picks the next embedding row from one position's logits (docs/MODEL.md, Generation): rows outside
 * the allowed mask are excluded, then greedy argmax, or temperature, top-k and top-p sampling. Pure
 * Java and used by the one generation loop ({@code dev.text2code.api.generation.GenerationLoop}),
 * so the same logits and seed give the same row on every machine and every backend.
 *
 * <p>Candidates are ranked by logit, higher first, ties by the lower row; top-k keeps the k best
 * ranked, top-p the smallest best-ranked set whose probability reaches p. The draw then walks the
 * kept rows in ascending row order. With vocabularies of 150k rows a full sort per step would
 * dominate generation, so top-k keeps a bounded heap and top-p buckets the candidates by logit and
 * sorts only the bucket where the nucleus ends.
 */
public final class TokenSampler {
  private static final int BUCKETS = 4096;

  private final GenerationConfig config;
  private final boolean[] allowed;
  private final int allowedCount;

  /**
   * @param allowed rows that may be generated (the code vocabulary when {@code
   *     codeVocabularyOnly}); all true otherwise
   */
  public TokenSampler(GenerationConfig config, boolean[] allowed) {
    this.config = config;
    this.allowed = allowed.clone();
    int count = 0;
    for (boolean a : allowed) if (a) count++;
    if (count == 0)
      throw new IllegalArgumentException("no row may be generated: the mask is all false");
    this.allowedCount = count;
  }

  /** A per-sample random stream derived from the configured seed, prompt and sample indices. */
  public static SplittableRandom randomFor(long seed, int prompt, int sample) {
    long mixed =
        seed * 0x9E3779B97F4A7C15L + prompt * 0xC2B2AE3D27D4EB4FL + sample * 0x165667B19E3779F9L;
    return new SplittableRandom(mixed);
  }

  /** The next row for {@code logits} (length = embedding rows). */
  public int next(float[] logits, RandomGenerator random) {
    if (logits.length != allowed.length) {
      throw new IllegalArgumentException(
          "logits have " + logits.length + " rows but the mask " + allowed.length);
    }
    return next(logits, 0, random);
  }

  /**
   * The next row for the {@code allowed.length} logits of a batch row starting at {@code offset} of
   * {@code logits}.
   */
  public int next(float[] logits, int offset, RandomGenerator random) {
    int rows = allowed.length;
    if (offset < 0 || offset + rows > logits.length) {
      throw new IllegalArgumentException(
          "logits of " + rows + " rows at " + offset + " lie outside " + logits.length);
    }
    if (!config.sample()) return argmax(logits, offset);
    int[] row = candidates(logits, offset, config.topK());
    int n = row.length;
    float[] logit = new float[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      logit[i] = logits[offset + row[i]];
      max = Math.max(max, logit[i]);
    }
    double[] weight = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      weight[i] = Math.exp((logit[i] - max) / config.temperature());
      sum += weight[i];
    }
    boolean[] inside = null; // the nucleus, when top-p cuts
    if (config.topP() < 1) {
      inside = nucleus(logit, row, weight, config.topP() * sum);
      sum = 0;
      for (int i = 0; i < n; i++) if (inside[i]) sum += weight[i];
    }
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

  /**
   * The allowed rows in ascending order, or the {@code topK} best ranked of them (also in ascending
   * row order) when {@code 0 < topK < allowed}.
   */
  private int[] candidates(float[] logits, int offset, int topK) {
    int rows = allowed.length;
    if (topK <= 0 || topK >= allowedCount) {
      int[] out = new int[allowedCount];
      int c = 0;
      for (int r = 0; r < rows; r++) if (allowed[r]) out[c++] = r;
      return out;
    }
    // bounded max-heap of the topK smallest rank keys
    long[] heap = new long[topK];
    int size = 0;
    for (int r = 0; r < rows; r++) {
      if (!allowed[r]) continue;
      long k = key(logits[offset + r], r);
      if (size < topK) {
        heap[size] = k;
        siftUp(heap, size++);
      } else if (k < heap[0]) {
        heap[0] = k;
        siftDown(heap, size);
      }
    }
    int[] out = new int[topK];
    for (int i = 0; i < topK; i++) out[i] = (int) heap[i];
    Arrays.sort(out);
    return out;
  }

  /**
   * Marks the nucleus: the smallest best-ranked set of candidates whose weight reaches {@code
   * target}. Candidates fall into buckets by logit (monotone, so buckets respect the ranking);
   * whole buckets are in or out by their mass, and only the bucket where the mass crosses the
   * target is sorted. Linear whatever the size of the nucleus.
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
    Arrays.sort(keys); // equal logits: the candidate index order is the row order
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

  /** Logit descending in the high 32 bits, row ascending in the low: ascending keys rank order. */
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

  private int argmax(float[] logits, int offset) {
    int best = -1;
    for (int r = 0; r < allowed.length; r++) {
      if (allowed[r] && (best < 0 || logits[offset + r] > logits[offset + best])) best = r;
    }
    return best;
  }
}

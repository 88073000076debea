package dev.text2code.backend.tensorflow;

import dev.text2code.api.backend.GenerationConfig;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Picks the next row from one position's logits: greedy argmax, or temperature, then top-k, then
 * top-p sampling (docs/MODEL.md). Pure Java, so the choice is the same on every backend given the
 * same logits.
 */
final class Sampler {
  private Sampler() {}

  /** The random stream of one sample: a pure function of (seed, prompt, sample). */
  static RandomGenerator randomFor(long seed, int prompt, int sample) {
    long mixed =
        seed * 0x9E3779B97F4A7C15L
            + (prompt + 1L) * 0xBF58476D1CE4E5B9L
            + (sample + 1L) * 0x94D049BB133111EBL;
    return new SplittableRandom(mixed);
  }

  /**
   * @param logits scores of every row
   * @param allowed rows that may be chosen, or an empty array for all
   */
  static int choose(
      float[] logits, boolean[] allowed, GenerationConfig config, RandomGenerator random) {
    int rows = logits.length;
    if (!config.sample()) {
      int best = -1;
      for (int r = 0; r < rows; r++) {
        if (allowed.length > 0 && !allowed[r]) continue;
        if (best < 0 || logits[r] > logits[best]) best = r;
      }
      return best;
    }
    int count = 0;
    Integer[] candidates = new Integer[rows];
    for (int r = 0; r < rows; r++) {
      if (allowed.length == 0 || allowed[r]) candidates[count++] = r;
    }
    Integer[] kept = Arrays.copyOf(candidates, count);
    double[] scaled = new double[rows];
    for (Integer r : kept) scaled[r] = logits[r] / config.temperature();
    boolean truncates = (config.topK() > 0 && config.topK() < count) || config.topP() < 1;
    if (truncates) {
      // most likely first; equal scores keep the lower row first, so ties are deterministic
      Arrays.sort(
          kept, Comparator.comparingDouble((Integer r) -> -scaled[r]).thenComparingInt(r -> r));
      if (config.topK() > 0 && config.topK() < kept.length) {
        kept = Arrays.copyOf(kept, config.topK());
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (Integer r : kept) max = Math.max(max, scaled[r]);
    double[] weights = new double[kept.length];
    double total = 0;
    for (int i = 0; i < kept.length; i++) {
      weights[i] = Math.exp(scaled[kept[i]] - max);
      total += weights[i];
    }
    int size = kept.length;
    if (config.topP() < 1) {
      double cumulative = 0;
      for (int i = 0; i < kept.length; i++) {
        cumulative += weights[i] / total;
        if (cumulative >= config.topP()) {
          size = i + 1;
          break;
        }
      }
      total = 0;
      for (int i = 0; i < size; i++) total += weights[i];
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < size; i++) {
      u -= weights[i];
      if (u < 0) return kept[i];
    }
    return kept[size - 1];
  }
}

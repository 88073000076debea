package dev.text2code.backend.tensorflow;

import dev.text2code.api.backend.GenerationConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Picks the next row from one position's logits: greedy argmax, or temperature, then top-k, then
 * top-p sampling (docs/MODEL.md). Pure Java, so the choice is the same on every backend given the
 * same logits.
 */
final class Sampler {
  private Sampler() {}

  /**
   * The random stream of one sample: a pure function of (seed, prompt, sample). The mixing
   * constants and {@link #choose} follow the PyTorch backend's sampler exactly, so that the same
   * logits and seed give the same samples on either backend.
   */
  static RandomGenerator randomFor(long seed, int prompt, int sample) {
    long mixed =
        seed * 0x9E3779B97F4A7C15L + prompt * 0xC2B2AE3D27D4EB4FL + sample * 0x165667B19E3779F9L;
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
    double max = Double.NEGATIVE_INFINITY;
    int count = 0;
    Integer[] candidates = new Integer[rows];
    for (int r = 0; r < rows; r++) {
      if (allowed.length == 0 || allowed[r]) {
        candidates[count++] = r;
        max = Math.max(max, logits[r]);
      }
    }
    candidates = Arrays.copyOf(candidates, count);
    // most likely first; equal logits keep the lower row first: a total, machine-independent order
    Arrays.sort(
        candidates,
        (a, b) ->
            logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
    int keep = config.topK() > 0 ? Math.min(config.topK(), count) : count;
    double[] weights = new double[keep];
    double total = 0;
    for (int i = 0; i < keep; i++) {
      weights[i] = Math.exp((logits[candidates[i]] - max) / config.temperature());
      total += weights[i];
    }
    if (config.topP() < 1) {
      double cumulative = 0;
      int cut = keep;
      for (int i = 0; i < keep; i++) {
        cumulative += weights[i] / total;
        if (cumulative >= config.topP()) {
          cut = i + 1;
          break;
        }
      }
      keep = cut;
      total = 0;
      for (int i = 0; i < keep; i++) total += weights[i];
    }
    double u = random.nextDouble() * total;
    double running = 0;
    for (int i = 0; i < keep; i++) {
      running += weights[i];
      if (u < running) return candidates[i];
    }
    return candidates[keep - 1];
  }
}

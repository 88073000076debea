package dev.text2code.api.backend;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Picks the next embedding row from one position's logits (docs/MODEL.md, Generation): rows outside
 * the allowed mask are excluded, then greedy argmax, or temperature, top-k and top-p sampling. Pure
 * Java and shared by every backend, so the same logits and seed give the same row on every machine
 * and every backend.
 */
public final class TokenSampler {
  private final GenerationConfig config;
  private final boolean[] allowed;

  /**
   * @param allowed rows that may be generated (the code vocabulary when {@code
   *     codeVocabularyOnly}); all true otherwise
   */
  public TokenSampler(GenerationConfig config, boolean[] allowed) {
    this.config = config;
    this.allowed = allowed.clone();
    boolean any = false;
    for (boolean a : allowed) any |= a;
    if (!any) throw new IllegalArgumentException("no row may be generated: the mask is all false");
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
    if (!config.sample()) return argmax(logits);
    int n = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) if (allowed[i]) max = Math.max(max, logits[i]);
    // candidates sorted by descending logit, ties by ascending row: a total, machine-independent
    // order
    Integer[] order = new Integer[n];
    int count = 0;
    for (int i = 0; i < n; i++) if (allowed[i]) order[count++] = i;
    Integer[] candidates = Arrays.copyOf(order, count);
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

  private int argmax(float[] logits) {
    int best = -1;
    for (int i = 0; i < logits.length; i++) {
      if (allowed[i] && (best < 0 || logits[i] > logits[best])) best = i;
    }
    return best;
  }
}

package dev.text2code.backend.onnx;

import dev.text2code.api.backend.GenerationConfig;
import java.util.SplittableRandom;

/**
 * Picks the next row from one position's logits (MODEL.md "Generation"): greedy argmax, or
 * temperature, then top-k, then top-p, then a draw. Rows outside {@code allowed} never win.
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
    // candidates sorted by logit descending, ties by lower row
    int n = 0;
    Integer[] order = new Integer[rows];
    for (int r = 0; r < rows; r++) if (allowed == null || allowed[r]) order[n++] = r;
    Integer[] candidates = java.util.Arrays.copyOf(order, n);
    java.util.Arrays.sort(
        candidates,
        (a, b) -> {
          int c = Float.compare(logits[offset + b], logits[offset + a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    int keep = config.topK() > 0 ? Math.min(config.topK(), n) : n;
    double max = logits[offset + candidates[0]] / config.temperature();
    double[] p = new double[keep];
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      p[i] = Math.exp(logits[offset + candidates[i]] / config.temperature() - max);
      sum += p[i];
    }
    if (config.topP() < 1) {
      double cumulative = 0;
      int cut = keep;
      for (int i = 0; i < keep; i++) {
        cumulative += p[i] / sum;
        if (cumulative >= config.topP()) {
          cut = i + 1;
          break;
        }
      }
      keep = cut;
      sum = 0;
      for (int i = 0; i < keep; i++) sum += p[i];
    }
    double u = random.nextDouble() * sum;
    for (int i = 0; i < keep; i++) {
      u -= p[i];
      if (u < 0) return candidates[i];
    }
    return candidates[keep - 1];
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

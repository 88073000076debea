package dev.text2code.backend.tensorflow;

import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.TokenSampler;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks the next row from one position's logits: greedy argmax, or temperature, then top-k, then
 * top-p sampling (docs/MODEL.md). Pure Java, so the choice is the same on every backend given the
 * same logits.
 */
final class Sampler {
  private Sampler() {}

  /** The random stream of one sample: the shared {@link TokenSampler#randomFor}. */
  static RandomGenerator randomFor(long seed, int prompt, int sample) {
    return TokenSampler.randomFor(seed, prompt, sample);
  }

  /**
   * The shared {@link TokenSampler}'s choice.
   *
   * @param allowed rows that may be chosen, or an empty array for all
   */
  static int choose(
      float[] logits, boolean[] allowed, GenerationConfig config, RandomGenerator random) {
    return sampler(config, allowed, logits.length).next(logits, random);
  }

  /** A sampler for {@code rows} rows; an empty {@code allowed} allows every row. */
  static TokenSampler sampler(GenerationConfig config, boolean[] allowed, int rows) {
    boolean[] mask = allowed;
    if (allowed.length == 0) {
      mask = new boolean[rows];
      Arrays.fill(mask, true);
    }
    return new TokenSampler(config, mask);
  }
}

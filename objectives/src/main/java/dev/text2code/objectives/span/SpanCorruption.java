package dev.text2code.objectives.span;

import java.util.random.RandomGenerator;

/**
 * The T5 span-corruption building blocks, following T5's {@code random_spans_noise_mask}, {@code
 * random_spans_helper} and sentinel functions. Rounding is half-to-even ({@link Math#rint}), as in
 * TF, numpy and Python. A Java generator cannot reproduce TF's stateless shuffle, so masks match
 * T5's in distribution and invariants, not bit for bit.
 */
public final class SpanCorruption {
  private SpanCorruption() {}

  /**
   * A noise mask over {@code length} tokens: about {@code density * length} noise tokens in about
   * {@code noise / meanSpanLength} spans; it starts with non-noise and ends with noise.
   *
   * <p>One guard T5 lacks: the span count is capped by the non-noise count (T5 would fail there; it
   * only matters for densities near 1 with short spans).
   */
  public static boolean[] randomSpansNoiseMask(
      int length, double density, double meanSpanLength, RandomGenerator random) {
    checkDensity(density);
    checkMeanSpanLength(meanSpanLength);
    boolean[] result = new boolean[length];
    if (density == 0 || length == 0) return result;
    SpanLengths spans = randomSpans(length, density, meanSpanLength, random);
    int position = 0;
    for (int s = 0; s < spans.count(); s++) {
      position += spans.nonNoise()[s];
      int end = position + spans.noise()[s];
      for (int i = position; i < end && i < length; i++) result[i] = true;
      position = end;
    }
    return result;
  }

  /**
   * The T5 span structure behind {@link #randomSpansNoiseMask}: {@code nonNoise[s]} tokens then
   * {@code noise[s]} tokens, for each span {@code s}, covering {@code max(length, 2)} tokens.
   */
  public record SpanLengths(int[] nonNoise, int[] noise) {
    public int count() {
      return noise.length;
    }
  }

  /**
   * Draws the span lengths for a sequence of {@code length} tokens with {@code density > 0} (the
   * same draws as {@link #randomSpansNoiseMask}, which is built from it).
   */
  public static SpanLengths randomSpans(
      int length, double density, double meanSpanLength, RandomGenerator random) {
    int padded = Math.max(length, 2);
    int noise = noiseTokens(padded, density);
    int nonNoise = padded - noise;
    int spans = Math.min(noiseSpans(noise, meanSpanLength), nonNoise);
    int[] noiseLengths = randomSegmentation(noise, spans, random);
    int[] nonNoiseLengths = randomSegmentation(nonNoise, spans, random);
    return new SpanLengths(nonNoiseLengths, noiseLengths);
  }

  /** T5's noise token count for a (padded) length: round(length * density) within [1, length-1]. */
  public static int noiseTokens(int paddedLength, double density) {
    int noise = (int) Math.rint(paddedLength * density);
    return Math.min(Math.max(noise, 1), paddedLength - 1);
  }

  /** T5's noise span count: max(round(noise / mean), 1). */
  public static int noiseSpans(int noiseTokens, double meanSpanLength) {
    return Math.max((int) Math.rint(noiseTokens / meanSpanLength), 1);
  }

  /**
   * Splits {@code items} into {@code segments} non-empty parts uniformly at random: the same
   * distribution as T5's shuffled boundary vector (a uniform choice of {@code segments - 1} of the
   * {@code items - 1} inner boundaries), drawn with Floyd's subset sampling.
   */
  public static int[] randomSegmentation(int items, int segments, RandomGenerator random) {
    if (segments < 1 || segments > items) {
      throw new IllegalArgumentException(
          "segments = " + segments + "; expected a value in [1, " + items + "]");
    }
    int boundaries = items - 1;
    int cuts = segments - 1;
    // Floyd's sampling into a bit set; reading the set bits in order gives the sorted cuts.
    long[] taken = new long[(Math.max(boundaries, 0) + 63) >>> 6];
    for (int j = boundaries - cuts; j < boundaries; j++) {
      int t = random.nextInt(j + 1);
      if ((taken[t >>> 6] & (1L << t)) != 0) t = j;
      taken[t >>> 6] |= 1L << t;
    }
    // boundary t means a new segment starts at item t + 1
    int[] lengths = new int[segments];
    int previousStart = 0;
    int s = 0;
    for (int word = 0; word < taken.length; word++) {
      long bits = taken[word];
      while (bits != 0) {
        int t = (word << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        lengths[s++] = t + 1 - previousStart;
        previousStart = t + 1;
      }
    }
    lengths[cuts] = items - previousStart;
    return lengths;
  }

  /**
   * Each noise span becomes one sentinel, counting down from {@code topSentinelId} (the first span
   * gets {@code topSentinelId}, the next {@code topSentinelId - 1}, ...); the other noise tokens
   * go.
   */
  public static int[] noiseSpanToUniqueSentinel(int[] tokens, boolean[] noise, int topSentinelId) {
    int[] out = new int[tokens.length];
    int n = 0;
    int sentinel = topSentinelId + 1;
    for (int i = 0; i < tokens.length; i++) {
      if (!noise[i]) {
        out[n++] = tokens[i];
      } else if (i == 0 || !noise[i - 1]) {
        out[n++] = --sentinel;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** {@link #noiseSpanToUniqueSentinel} on the complement: the targets of span corruption. */
  public static int[] nonNoiseSpanToUniqueSentinel(
      int[] tokens, boolean[] noise, int topSentinelId) {
    return noiseSpanToUniqueSentinel(tokens, not(noise), topSentinelId);
  }

  /** Each noise span becomes the one sentinel {@code sentinelId}. */
  public static int[] noiseSpanToSentinel(int[] tokens, boolean[] noise, int sentinelId) {
    int[] out = new int[tokens.length];
    int n = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (!noise[i]) out[n++] = tokens[i];
      else if (i == 0 || !noise[i - 1]) out[n++] = sentinelId;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** {@link #noiseSpanToSentinel} on the complement. */
  public static int[] nonNoiseSpanToSentinel(int[] tokens, boolean[] noise, int sentinelId) {
    return noiseSpanToSentinel(tokens, not(noise), sentinelId);
  }

  /** Every noise token becomes {@code sentinelId}. */
  public static int[] noiseTokenToSentinel(int[] tokens, boolean[] noise, int sentinelId) {
    int[] out = tokens.clone();
    for (int i = 0; i < out.length; i++) if (noise[i]) out[i] = sentinelId;
    return out;
  }

  /** Keeps the non-noise tokens. */
  public static int[] dropNoiseTokens(int[] tokens, boolean[] noise) {
    return keep(tokens, noise, false);
  }

  /** Keeps the noise tokens. */
  public static int[] dropNonNoiseTokens(int[] tokens, boolean[] noise) {
    return keep(tokens, noise, true);
  }

  private static int[] keep(int[] tokens, boolean[] noise, boolean wanted) {
    int[] out = new int[tokens.length];
    int n = 0;
    for (int i = 0; i < tokens.length; i++) if (noise[i] == wanted) out[n++] = tokens[i];
    return java.util.Arrays.copyOf(out, n);
  }

  private static boolean[] not(boolean[] mask) {
    boolean[] out = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) out[i] = !mask[i];
    return out;
  }

  /** Which published variant of the length search to follow (they differ at the boundary). */
  public enum LengthSearch {
    /** T5 {@code random_spans_helper}: the search starts at {@code inputsLength - 1}. */
    T5,
    /** HF {@code compute_input_and_target_lengths}: the search starts at {@code inputsLength}. */
    HUGGING_FACE
  }

  /**
   * The raw token count to feed span corruption so that its inputs (sentinels and EOS included)
   * just fit {@code inputsLength}, and the resulting targets length.
   *
   * @param tokensLength raw tokens to take per example
   * @param targetsLength length of the targets (sentinels and EOS included)
   */
  public record Lengths(int tokensLength, int targetsLength) {}

  /**
   * The inputs and targets lengths that span-corrupting raw tokens gives.
   *
   * @param inputsLength non-noise tokens + one sentinel per span + EOS
   * @param targetsLength noise tokens + one sentinel per span + EOS
   */
  public record CorruptedLengths(int inputsLength, int targetsLength) {}

  /** T5's length function f(t), with one sentinel per span on each side and EOS. */
  public static CorruptedLengths inputsAndTargets(
      int tokens, double density, double meanSpanLength) {
    int noise = (int) Math.rint(tokens * density);
    int nonNoise = tokens - noise;
    int spans = (int) Math.rint(noise / meanSpanLength);
    return new CorruptedLengths(nonNoise + spans + 1, noise + spans + 1);
  }

  /**
   * T5's {@code random_spans_helper} with one extra token per span on each side: the largest raw
   * length whose corrupted inputs fit {@code inputsLength}; at density 0.5, if the targets would be
   * longer than the inputs, both shrink by one.
   */
  public static Lengths randomSpansHelper(
      int inputsLength, double density, double meanSpanLength, LengthSearch search) {
    checkDensity(density);
    checkMeanSpanLength(meanSpanLength);
    if (inputsLength < 2) {
      throw new IllegalArgumentException(
          "inputsLength = " + inputsLength + "; expected at least 2 (one token and EOS)");
    }
    int tokens = search == LengthSearch.T5 ? inputsLength - 1 : inputsLength;
    while (inputsAndTargets(tokens + 1, density, meanSpanLength).inputsLength() <= inputsLength) {
      tokens++;
    }
    int targets = inputsAndTargets(tokens, density, meanSpanLength).targetsLength();
    if (density == 0.5 && targets > inputsLength) {
      tokens--;
      targets--;
    }
    return new Lengths(tokens, targets);
  }

  static void checkDensity(double density) {
    if (!(density >= 0 && density < 1)) {
      throw new IllegalArgumentException(
          "noise density = " + density + "; expected a value in [0, 1)");
    }
  }

  static void checkMeanSpanLength(double mean) {
    if (!(mean >= 1) || Double.isInfinite(mean)) {
      throw new IllegalArgumentException(
          "mean noise span length = " + mean + "; expected a finite number >= 1");
    }
  }
}

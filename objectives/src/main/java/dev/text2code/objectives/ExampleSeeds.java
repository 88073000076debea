package dev.text2code.objectives;

import java.util.SplittableRandom;

/**
 * Per-example random generators derived from (global seed, epoch, example index), so that any
 * example can be rebuilt on its own: in any order, after a restart, on any machine.
 */
public final class ExampleSeeds {
  private ExampleSeeds() {}

  /** A 64-bit seed mixing the three coordinates with the SplitMix64 finaliser. */
  public static long seed(long globalSeed, long epoch, long exampleIndex) {
    long h = mix(globalSeed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ epoch);
    return mix(h ^ exampleIndex);
  }

  /** A fresh generator for one example. */
  public static SplittableRandom generator(long globalSeed, long epoch, long exampleIndex) {
    return new SplittableRandom(seed(globalSeed, epoch, exampleIndex));
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

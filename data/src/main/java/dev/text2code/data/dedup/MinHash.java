package dev.text2code.data.dedup;

import dev.text2code.data.CodeTokens;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * MinHash signatures of code shingles ({@code shingleSize} consecutive {@link CodeTokens}): the
 * fraction of equal signature components estimates the Jaccard similarity of two shingle sets.
 * Permutation {@code i} is {@code x -> mix(x ^ seed_i)} with {@code seed_i} derived from the
 * options' seed, so signatures are the same on every machine and in every partition.
 */
public final class MinHash {
  private final int shingleSize;
  private final long[] seeds;

  public MinHash(DedupOptions options) {
    this.shingleSize = options.shingleSize();
    this.seeds = new long[options.permutations()];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = CodeTokens.mix(options.seed() * 0x9E3779B97F4A7C15L + i + 1);
    }
  }

  /**
   * The shingle hashes of {@code code}; code shorter than one shingle is a single shingle of all
   * its tokens, and code without tokens has none.
   */
  public static long[] shingles(String code, int shingleSize) {
    long[] tokens = CodeTokens.hashes(code);
    if (tokens.length == 0) return new long[0];
    if (tokens.length <= shingleSize)
      return new long[] {CodeTokens.ngram(tokens, 0, tokens.length)};
    long[] out = new long[tokens.length - shingleSize + 1];
    for (int i = 0; i < out.length; i++) out[i] = CodeTokens.ngram(tokens, i, shingleSize);
    return out;
  }

  /** The signature of {@code code}: one minimum per permutation. */
  public int[] signature(String code) {
    long[] shingles = shingles(code, shingleSize);
    int[] signature = new int[seeds.length];
    Arrays.fill(signature, Integer.MAX_VALUE);
    for (long shingle : shingles) {
      for (int i = 0; i < seeds.length; i++) {
        int v = (int) (CodeTokens.mix(shingle ^ seeds[i]) >>> 33);
        if (v < signature[i]) signature[i] = v;
      }
    }
    return signature;
  }

  /** The estimated Jaccard similarity: the fraction of equal components. */
  public static double similarity(int[] a, int[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "signatures of " + a.length + " and " + b.length + " components");
    }
    int equal = 0;
    for (int i = 0; i < a.length; i++) if (a[i] == b[i]) equal++;
    return (double) equal / a.length;
  }

  /** The exact Jaccard similarity of the shingle sets of two code strings (1 when both empty). */
  public static double jaccard(String a, String b, int shingleSize) {
    Set<Long> x = new HashSet<>();
    for (long s : shingles(a, shingleSize)) x.add(s);
    Set<Long> y = new HashSet<>();
    for (long s : shingles(b, shingleSize)) y.add(s);
    if (x.isEmpty() && y.isEmpty()) return 1;
    Set<Long> union = new HashSet<>(x);
    union.addAll(y);
    x.retainAll(y);
    return (double) x.size() / union.size();
  }
}

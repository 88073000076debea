package dev.text2code.data.pipeline;

import dev.text2code.api.TextCodePair;

/**
 * Which pairs are held out: {@code fraction} of pairs, chosen by a hash of the pair's content (not
 * its id), so the split is the same on every machine and duplicate pairs never straddle it. The run
 * layer's {@code RunData.isHeldOut} uses it.
 */
public final class HeldOutSplit {
  private HeldOutSplit() {}

  public static boolean isHeldOut(TextCodePair pair, double fraction) {
    long h = 0x9E3779B97F4A7C15L;
    for (String part : new String[] {pair.text(), pair.code()}) {
      for (int i = 0; i < part.length(); i++) {
        h = (h ^ part.charAt(i)) * 0x100000001B3L;
      }
      h = (h ^ 0xFF) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return Math.floorMod(h, 10_000L) < fraction * 10_000;
  }
}

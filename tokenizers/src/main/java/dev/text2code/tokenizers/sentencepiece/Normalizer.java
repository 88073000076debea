package dev.text2code.tokenizers.sentencepiece;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * SentencePiece's normalizer on UTF-8 bytes: the longest prefix found in the precompiled charsmap
 * (a double-array trie over UTF-8 keys whose values point into a blob of NUL-terminated
 * replacements) is replaced, any other character is kept; user-defined pieces are kept verbatim;
 * then leading, trailing and repeated spaces are dropped, a dummy prefix space is added and spaces
 * become {@code ▁}, as the spec asks.
 */
final class Normalizer {
  private static final byte[] SPACE_SYMBOL = "\u2581".getBytes(StandardCharsets.UTF_8);
  private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

  private final SentencePieceModel.NormalizerSpec spec;
  private final boolean suffix;
  private final int[] trie;
  private final byte[] normalized;
  private final int normalizedStart;
  private final List<byte[]> userDefined;

  Normalizer(SentencePieceModel.NormalizerSpec spec, boolean suffix, List<byte[]> userDefined) {
    this.spec = spec;
    this.suffix = suffix;
    this.userDefined = userDefined;
    byte[] map = spec.precompiledCharsmap();
    if (map.length == 0) {
      trie = null;
      normalized = null;
      normalizedStart = 0;
    } else {
      if (map.length < 4) throw new IllegalStateException("precompiled charsmap is truncated");
      int trieSize =
          (map[0] & 0xFF) | (map[1] & 0xFF) << 8 | (map[2] & 0xFF) << 16 | (map[3] & 0xFF) << 24;
      if (trieSize < 0 || trieSize % 4 != 0 || 4 + trieSize > map.length) {
        throw new IllegalStateException(
            "precompiled charsmap declares a trie of " + trieSize + " bytes in " + map.length);
      }
      trie = new int[trieSize / 4];
      for (int i = 0; i < trie.length; i++) {
        int o = 4 + 4 * i;
        trie[i] =
            (map[o] & 0xFF)
                | (map[o + 1] & 0xFF) << 8
                | (map[o + 2] & 0xFF) << 16
                | (map[o + 3] & 0xFF) << 24;
      }
      normalized = map;
      normalizedStart = 4 + trieSize;
    }
  }

  /** Normalizes text; the result is what the model's pieces are matched against. */
  String normalize(String text) {
    byte[] input = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 8);
    int pos = 0;
    int[] consumed = new int[1];
    if (spec.removeExtraWhitespaces()) {
      while (pos < input.length) {
        byte[] p = prefix(input, pos, consumed);
        if (!(p.length == 1 && p[0] == ' ')) break;
        pos += consumed[0];
      }
    }
    if (pos >= input.length) return "";
    if (!suffix && spec.addDummyPrefix()) space(out);
    boolean prevSpace = spec.removeExtraWhitespaces();
    while (pos < input.length) {
      byte[] p = prefix(input, pos, consumed);
      int from = 0;
      if (prevSpace) {
        while (from < p.length && p[from] == ' ') from++;
      }
      if (from < p.length) {
        for (int n = from; n < p.length; n++) {
          if (spec.escapeWhitespaces() && p[n] == ' ') {
            out.write(SPACE_SYMBOL, 0, SPACE_SYMBOL.length);
          } else {
            out.write(p[n]);
          }
        }
        prevSpace = p[p.length - 1] == ' ';
      }
      pos += consumed[0];
      if (!spec.removeExtraWhitespaces()) prevSpace = false;
    }
    byte[] result = out.toByteArray();
    int length = result.length;
    if (spec.removeExtraWhitespaces()) {
      byte[] space = spec.escapeWhitespaces() ? SPACE_SYMBOL : new byte[] {' '};
      while (length >= space.length && endsWith(result, length, space)) length -= space.length;
    }
    String s = new String(result, 0, length, StandardCharsets.UTF_8);
    if (suffix && spec.addDummyPrefix()) s += spec.escapeWhitespaces() ? "\u2581" : " ";
    return s;
  }

  private void space(ByteArrayOutputStream out) {
    if (spec.escapeWhitespaces()) out.write(SPACE_SYMBOL, 0, SPACE_SYMBOL.length);
    else out.write(' ');
  }

  private static boolean endsWith(byte[] data, int length, byte[] suffix) {
    for (int i = 0; i < suffix.length; i++) {
      if (data[length - suffix.length + i] != suffix[i]) return false;
    }
    return true;
  }

  /** The normalized form of the longest prefix at {@code pos}; its input length in consumed[0]. */
  private byte[] prefix(byte[] input, int pos, int[] consumed) {
    int longestUser = 0;
    for (byte[] u : userDefined) {
      if (u.length > longestUser && startsWith(input, pos, u)) longestUser = u.length;
    }
    if (longestUser > 0) {
      consumed[0] = longestUser;
      return java.util.Arrays.copyOfRange(input, pos, pos + longestUser);
    }
    int longestLength = 0;
    int longestValue = 0;
    if (trie != null) {
      int node = offset(trie[0]);
      for (int i = pos; i < input.length; i++) {
        int c = input[i] & 0xFF;
        node ^= c;
        if (node < 0 || node >= trie.length) break;
        int unit = trie[node];
        if (label(unit) != c) break;
        node ^= offset(unit);
        if (hasLeaf(unit)) {
          if (node < 0 || node >= trie.length) break;
          longestLength = i - pos + 1;
          longestValue = trie[node] & 0x7FFFFFFF;
        }
      }
    }
    if (longestLength == 0) {
      int length = Utf8.charLength(input, pos);
      if (length <= 0) {
        consumed[0] = 1;
        return REPLACEMENT;
      }
      consumed[0] = length;
      return java.util.Arrays.copyOfRange(input, pos, pos + length);
    }
    consumed[0] = longestLength;
    int start = normalizedStart + longestValue;
    int end = start;
    while (end < normalized.length && normalized[end] != 0) end++;
    return java.util.Arrays.copyOfRange(normalized, start, end);
  }

  private static boolean startsWith(byte[] data, int pos, byte[] prefix) {
    if (pos + prefix.length > data.length) return false;
    for (int i = 0; i < prefix.length; i++) {
      if (data[pos + i] != prefix[i]) return false;
    }
    return true;
  }

  private static boolean hasLeaf(int unit) {
    return ((unit >>> 8) & 1) == 1;
  }

  private static int label(int unit) {
    return unit & ((1 << 31) | 0xFF);
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }
}

package dev.text2code.data;

import java.util.Arrays;

/**
 * Lexical tokens of source text, hashed: a token is a run of letters, digits and underscores, or
 * one other non-space character. Whitespace and line breaks only separate tokens, so re-indenting
 * or re-wrapping code does not change its tokens. The hashes are FNV-1a over UTF-16 code units with
 * a final mix, the same on every machine.
 */
public final class CodeTokens {
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private CodeTokens() {}

  /** The hashes of the tokens of {@code text}, in order. */
  public static long[] hashes(String text) {
    long[] out = new long[Math.max(16, text.length() / 3)];
    int count = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      long h = FNV_OFFSET;
      if (isWordChar(c)) {
        while (i < n && isWordChar(text.charAt(i))) {
          h = (h ^ text.charAt(i)) * FNV_PRIME;
          i++;
        }
      } else {
        h = (h ^ c) * FNV_PRIME;
        i++;
      }
      if (count == out.length) out = Arrays.copyOf(out, out.length * 2);
      out[count++] = mix(h);
    }
    return Arrays.copyOf(out, count);
  }

  /** The number of tokens of {@code text}. */
  public static int count(String text) {
    return hashes(text).length;
  }

  /** The hash of {@code length} consecutive token hashes from {@code from}. */
  public static long ngram(long[] tokens, int from, int length) {
    long h = 0x9E3779B97F4A7C15L ^ length;
    for (int i = from; i < from + length; i++) h = mix(h * 31 + tokens[i]);
    return h;
  }

  /** The 64-bit finaliser of MurmurHash3: every input bit affects every output bit. */
  public static long mix(long z) {
    z ^= z >>> 33;
    z *= 0xFF51AFD7ED558CCDL;
    z ^= z >>> 33;
    z *= 0xC4CEB9FE1A85EC53L;
    z ^= z >>> 33;
    return z;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}

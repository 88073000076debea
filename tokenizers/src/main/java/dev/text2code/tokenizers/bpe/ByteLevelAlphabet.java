package dev.text2code.tokenizers.bpe;

import java.nio.charset.StandardCharsets;

/**
 * The byte-to-character table of byte-level BPE (GPT-2): printable Latin-1 bytes stand for
 * themselves, the other 68 bytes get the characters from U+0100 upwards, so that every byte has a
 * visible one-character spelling ({@code Ġ} is the space byte).
 */
public final class ByteLevelAlphabet {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
      char c = printable ? (char) b : (char) next++;
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevelAlphabet() {}

  /** The character that spells byte {@code b} (0..255). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xff];
  }

  /** The byte a character spells, or -1 when the character is not in the alphabet. */
  public static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /** The byte-level spelling of a string's UTF-8 bytes. */
  public static String encode(String text) {
    return spell(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The byte-level spelling of raw bytes. */
  public static String spell(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
    }
    return new String(chars);
  }

  /**
   * Appends the bytes a token spells to {@code out}. A token with a character outside the alphabet
   * (an added token such as {@code <python> x}) contributes its own UTF-8 bytes, as Hugging Face's
   * ByteLevel decoder does.
   */
  public static void appendBytes(String token, java.io.ByteArrayOutputStream out) {
    for (int i = 0; i < token.length(); i++) {
      if (byteOf(token.charAt(i)) < 0) {
        out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    for (int i = 0; i < token.length(); i++) {
      out.write(byteOf(token.charAt(i)));
    }
  }
}

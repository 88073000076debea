package dev.text2code.tokenizers.sentencepiece;

/** UTF-8 character lengths, as SentencePiece checks them. */
final class Utf8 {
  private Utf8() {}

  /** The length of the well-formed character at {@code pos}, or 0 when it is malformed. */
  static int charLength(byte[] s, int pos) {
    int b = s[pos] & 0xFF;
    int length;
    int min;
    if (b < 0x80) return 1;
    else if (b >= 0xC2 && b < 0xE0) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xE0 && b < 0xF0) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xF0 && b < 0xF5) {
      length = 4;
      min = 0x10000;
    } else return 0;
    if (pos + length > s.length) return 0;
    int cp = b & (0xFF >> (length + 1));
    for (int i = 1; i < length; i++) {
      int c = s[pos + i] & 0xFF;
      if ((c & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return length;
  }
}

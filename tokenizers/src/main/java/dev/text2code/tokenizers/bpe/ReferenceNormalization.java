package dev.text2code.tokenizers.bpe;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * Unicode normalisation as Hugging Face {@code tokenizers} computes it. Its normalisers use Unicode
 * 9 tables, so the code points assigned later that take part in normalisation (combining marks
 * added in Unicode 10-13, a canonical composite and its parts, characters with compatibility
 * decompositions) are, to it, plain starters: never reordered, decomposed or composed. This JDK
 * knows them, so {@link Normalizer} alone gives other ids on text that holds them (for example
 * U+0061 U+1DD1 U+1DF7: the JDK reorders the marks, {@code tokenizers} keeps them). The stretches
 * between such code points are normalised by the JDK; the code points themselves are kept as they
 * are. {@code ReferenceNormalizationTest} checks every combining or decomposable code point against
 * the Rust library.
 */
final class ReferenceNormalization {
  /** Code points the reference treats as unassigned (found by probing it; sorted). */
  private static final int[] UNKNOWN_TO_REFERENCE = {
    0x7FD,
    0x8D3,
    0x9FE,
    0xD3B,
    0xD3C,
    0xEBA,
    0x1ABF,
    0x1AC0,
    0x1DF6,
    0x1DF7,
    0x1DF8,
    0x1DF9,
    0x32FF,
    0xA82C,
    0xAB69,
    0x10D24,
    0x10D25,
    0x10D26,
    0x10D27,
    0x10EAB,
    0x10EAC,
    0x10F46,
    0x10F47,
    0x10F48,
    0x10F49,
    0x10F4A,
    0x10F4B,
    0x10F4C,
    0x10F4D,
    0x10F4E,
    0x10F4F,
    0x10F50,
    0x1133B,
    0x1145E,
    0x11839,
    0x1183A,
    0x11938,
    0x1193D,
    0x1193E,
    0x11943,
    0x119E0,
    0x11A34,
    0x11A47,
    0x11A99,
    0x11D42,
    0x11D44,
    0x11D45,
    0x11D97,
    0x16FF0,
    0x16FF1,
    0x1E130,
    0x1E131,
    0x1E132,
    0x1E133,
    0x1E134,
    0x1E135,
    0x1E136,
    0x1E2EC,
    0x1E2ED,
    0x1E2EE,
    0x1E2EF,
    0x1F16C,
    0x1FBF0,
    0x1FBF1,
    0x1FBF2,
    0x1FBF3,
    0x1FBF4,
    0x1FBF5,
    0x1FBF6,
    0x1FBF7,
    0x1FBF8,
    0x1FBF9,
    // the parts of U+11938 (DIVES AKURU VOWEL SIGN O = U+11935 U+11930), which it does not compose
    0x11930,
    0x11935
  };

  static {
    Arrays.sort(UNKNOWN_TO_REFERENCE);
  }

  private ReferenceNormalization() {}

  static String normalize(String text, Normalizer.Form form) {
    StringBuilder out = null;
    int start = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int next = i + Character.charCount(c);
      if (Arrays.binarySearch(UNKNOWN_TO_REFERENCE, c) >= 0) {
        if (out == null) out = new StringBuilder(text.length());
        out.append(standard(text.substring(start, i), form)).appendCodePoint(c);
        start = next;
      }
      i = next;
    }
    if (out == null) return standard(text, form);
    return out.append(standard(text.substring(start), form)).toString();
  }

  private static String standard(String text, Normalizer.Form form) {
    return Normalizer.isNormalized(text, form) ? text : Normalizer.normalize(text, form);
  }
}

package dev.text2code.tokenizers;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.quicktheories.core.Gen;

/** QuickTheories generators of valid Unicode strings, biased towards code-like ASCII. */
public final class UnicodeStrings {
  private UnicodeStrings() {}

  /** A code point: half ASCII, a fifth low BMP (Latin, Greek, Cyrillic...), the rest anywhere. */
  public static Gen<Integer> codePoints() {
    return integers()
        .between(0, 1_999_999)
        .map(
            r -> {
              int cp;
              if (r < 1_000_000) cp = r % 128;
              else if (r < 1_400_000) cp = r % 0x3000;
              else cp = Math.min(0x10FFFF, (r - 1_400_000) * 2);
              if (cp >= 0xD800 && cp <= 0xDFFF) cp += 0x800; // lone surrogates are not text
              return cp;
            });
  }

  /**
   * Strings of code points this JVM's Unicode database knows ({@link Character#isDefined}): Java 17
   * ships Unicode 13, while the Rust tokenizer's regex engine knows newer assignments, so a letter
   * assigned after Unicode 13 is {@code \p{L}} for Rust and unassigned for Java and may
   * pre-tokenize differently. Java-vs-Rust parity holds on these strings; round trips hold on all
   * of {@link #strings}.
   */
  public static Gen<String> definedStrings(int maxCodePoints) {
    return lists()
        .of(codePoints().map(cp -> Character.isDefined(cp) ? cp : cp % 128))
        .ofSizeBetween(0, maxCodePoints)
        .map(UnicodeStrings::join);
  }

  public static Gen<String> strings(int maxCodePoints) {
    return lists().of(codePoints()).ofSizeBetween(0, maxCodePoints).map(UnicodeStrings::join);
  }

  static String join(List<Integer> codePoints) {
    StringBuilder sb = new StringBuilder();
    for (int cp : codePoints) sb.appendCodePoint(cp);
    return sb.toString();
  }
}

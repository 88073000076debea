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

  public static Gen<String> strings(int maxCodePoints) {
    return lists().of(codePoints()).ofSizeBetween(0, maxCodePoints).map(UnicodeStrings::join);
  }

  static String join(List<Integer> codePoints) {
    StringBuilder sb = new StringBuilder();
    for (int cp : codePoints) sb.appendCodePoint(cp);
    return sb.toString();
  }
}

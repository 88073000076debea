package dev.text2code.api;

import java.util.Arrays;
import java.util.Locale;

/** How far code-side tokens get embeddings of their own (docs/METHODS.md section 1.3). */
public enum Separation {
  /** One embedding per token id, shared by text and code. */
  NONE,
  /** Only listed Python tokens get a separate code-side embedding (the paper's PES). */
  PARTIAL,
  /** Every non-special token gets a separate code-side embedding (the paper's FES). */
  FULL;

  /** Parses {@code none}, {@code partial} or {@code full}, case-insensitive. */
  public static Separation parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "separation = "
              + value
              + " is not valid; expected one of "
              + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.text2code.objectives.cert;

import java.util.Objects;

/**
 * One Python file after CERT sketching.
 *
 * @param normalisedCode the file with normalised line endings, trailing whitespace and blank lines
 * @param sketch {@code normalisedCode} with literals and def/class names replaced by placeholders
 */
public record Sketch(String normalisedCode, String sketch) {
  /** The placeholder words of docs/METHODS.md §2.1, as CERT's inference checks them. */
  public static final java.util.List<String> PLACEHOLDERS =
      java.util.List.of(
          "func",
          "AnClass",
          "number",
          "float",
          "floatexponant",
          "complex",
          "string",
          "rawstring",
          "unicodestring",
          "binarystring",
          "interstring",
          "interrawstring");

  public Sketch {
    Objects.requireNonNull(normalisedCode, "normalisedCode");
    Objects.requireNonNull(sketch, "sketch");
  }
}

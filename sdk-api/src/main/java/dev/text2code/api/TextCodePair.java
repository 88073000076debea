package dev.text2code.api;

import java.util.Objects;

/**
 * One natural-language description and the code it describes.
 *
 * @param id a stable identifier (file:line, task id, ...), used in error reports and for seeding
 * @param text the natural-language side (docstring, intent)
 * @param code the code side
 * @param language the programming language, lower case (for example {@code python})
 */
public record TextCodePair(String id, String text, String code, String language) {
  public TextCodePair {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(language, "language");
    if (text.isBlank()) {
      throw new InvalidInputException(
          "pair " + id + ": text is empty; every pair needs a description");
    }
    if (code.isBlank()) {
      throw new InvalidInputException("pair " + id + ": code is empty; every pair needs code");
    }
  }

  public static TextCodePair python(String id, String text, String code) {
    return new TextCodePair(id, text, code, "python");
  }
}

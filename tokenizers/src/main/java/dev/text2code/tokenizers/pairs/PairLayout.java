package dev.text2code.tokenizers.pairs;

import dev.text2code.api.ConfigurationException;
import java.util.Arrays;
import java.util.Locale;

/** The paper's two sequence layouts (docs/METHODS.md section 1.2). */
public enum PairLayout {
  /**
   * PanGu-Coder: {@code <comments> text <python> code <eot>}. Text modality from {@code <comments>}
   * to {@code <python>}, code modality after.
   */
  COMMENTS_THEN_CODE,
  /**
   * PyCodeGPT: {@code <|beginoftext|> signature <comments> docstring <python> body <eot>}, the
   * docstring rewritten as a Python docstring. The signature counts as code for the vocabulary; the
   * prefix (up to {@code <python>}) still gets no loss under code-only objectives.
   */
  SIGNATURE_DOCSTRING_BODY;

  /** Parses {@code comments-then-code} or {@code signature-docstring-body}. */
  public static PairLayout parse(String value) {
    String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (PairLayout layout : values()) {
      if (layout.name().equals(normalized)) return layout;
    }
    throw new ConfigurationException(
        "pair layout = "
            + value
            + " is not valid; expected one of "
            + Arrays.stream(values()).map(PairLayout::configName).toList());
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

package dev.text2code.objectives.cert;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The texts CERT trains on (docs/METHODS.md §2.2), before tokenization and the {@code [bos] ...
 * [eos]} framing.
 *
 * <p>CERT normalises both the file and its sketch with autopep8 before splitting them into blocks
 * on {@code "\n\n\n"}. autopep8 is not available here; {@link PythonSketcher} instead normalises
 * the file (line endings, trailing whitespace outside strings, exactly two blank lines before
 * top-level definitions and after their end, at most two blank lines at top level and one inside
 * blocks, the pycodestyle E302/E303/E305 rules that decide where {@code "\n\n\n"} falls) and
 * sketches the normalised file token by token, so file and sketch share their line structure.
 */
public final class CertCorpus {
  /** The separator between a sketch block and its code. */
  public static final String SEGMENTATION = "\n# [segmentation]\n";

  /** The block separator: two blank lines. */
  public static final String BLOCK_SEPARATOR = "\n\n\n";

  private CertCorpus() {}

  /** The sketcher corpus text of one file: its sketch. */
  public static String sketcherText(Sketch sketch) {
    return sketch.sketch();
  }

  /**
   * The generator corpus text of one file: block by block, {@code sketch + "\n# [segmentation]\n" +
   * code}, except blocks that import (at least two occurrences of {@code import}) or hold {@code
   * __name__}, which are kept as code alone; blocks joined with {@code "\n\n\n"}. Empty when the
   * file and its sketch split into different numbers of blocks (CERT skips those files).
   */
  public static Optional<String> generatorText(Sketch sketch) {
    String[] code = split(sketch.normalisedCode());
    String[] sketched = split(sketch.sketch());
    if (code.length != sketched.length) return Optional.empty();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < code.length; i++) {
      if (i > 0) out.append(BLOCK_SEPARATOR);
      String block = code[i];
      if (occurrences(block, "import") >= 2 || block.contains("__name__")) {
        out.append(block);
      } else {
        out.append(sketched[i]).append(SEGMENTATION).append(block);
      }
    }
    return Optional.of(out.toString());
  }

  private static String[] split(String text) {
    return text.split(Pattern.quote(BLOCK_SEPARATOR), -1);
  }

  static int occurrences(String text, String word) {
    int count = 0;
    for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
      count++;
    }
    return count;
  }

  /**
   * Both corpus texts of one file.
   *
   * @param sketcherText empty when the file does not parse
   * @param generatorText empty when the file does not parse or its blocks do not line up
   */
  public record Texts(
      SketchResult sketch, Optional<String> sketcherText, Optional<String> generatorText) {
    public Texts {
      Objects.requireNonNull(sketch, "sketch");
      Objects.requireNonNull(sketcherText, "sketcherText");
      Objects.requireNonNull(generatorText, "generatorText");
    }
  }

  /** The sketcher and generator texts of many files, sketched in one batch. */
  public static List<Texts> texts(List<String> files, PythonSketcher sketcher) {
    List<Texts> out = new ArrayList<>(files.size());
    for (SketchResult r : sketcher.sketchAll(files)) {
      out.add(
          new Texts(
              r,
              r.sketch().map(CertCorpus::sketcherText),
              r.sketch().flatMap(CertCorpus::generatorText)));
    }
    return out;
  }

  /**
   * Whether generated text still holds a placeholder word (CERT's test for calling the generator).
   */
  public static boolean hasPlaceholder(String text) {
    for (String word : Sketch.PLACEHOLDERS) if (text.contains(word)) return true;
    return false;
  }
}

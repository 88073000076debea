package dev.text2code.evaluation.postprocess;

import dev.text2code.api.ConfigurationException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MRPT paper's line-structure tokens, {@code <NEW_LINE>}, {@code <INDENT>} and {@code
 * <DEDENT>}, in both directions, as far as evaluation needs them (docs/METHODS.md §1.5). The
 * training side lives in the tokenizers module; this small copy keeps evaluation free of that
 * dependency.
 *
 * <p>Linearised form used here: for every non-blank line, one {@code <INDENT>} per deeper
 * indentation level or one {@code <DEDENT>} per level closed, then the line's stripped text, then
 * {@code <NEW_LINE>}; tokens are separated by single spaces; blank lines are dropped. Levels are
 * relative to the first non-blank line. De-linearising turns each {@code <NEW_LINE>} into a real
 * newline and indents each line with one unit (default 4 spaces) per open level; spacing inside a
 * line is kept as the model wrote it (Python does not mind {@code f ( x )}).
 */
public final class Linearisation {
  public static final String NEW_LINE = "<NEW_LINE>";
  public static final String INDENT = "<INDENT>";
  public static final String DEDENT = "<DEDENT>";
  private static final Pattern TOKEN = Pattern.compile("\\s*(<NEW_LINE>|<INDENT>|<DEDENT>)\\s*");

  private Linearisation() {}

  /** Real code to linearised text. */
  public static String linearise(String code) {
    StringBuilder out = new StringBuilder();
    Deque<Integer> levels = new ArrayDeque<>();
    for (String line : code.replace("\r\n", "\n").split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int width = indentWidth(line);
      if (levels.isEmpty()) {
        levels.push(width);
      } else if (width > levels.peek()) {
        levels.push(width);
        out.append(INDENT).append(' ');
      } else {
        while (levels.size() > 1 && width < levels.peek()) {
          levels.pop();
          out.append(DEDENT).append(' ');
        }
      }
      out.append(line.strip()).append(' ').append(NEW_LINE).append(' ');
    }
    return out.toString().stripTrailing();
  }

  /** Linearised text to code, starting {@code initialDepth} levels deep, 4 spaces a level. */
  public static String delinearise(String text, int initialDepth) {
    return delinearise(text, initialDepth, "    ");
  }

  /** Linearised text to code, starting {@code initialDepth} levels deep. */
  public static String delinearise(String text, int initialDepth, String indentUnit) {
    ConfigurationException.require(initialDepth >= 0, "initialDepth", initialDepth, ">= 0");
    ConfigurationException.require(
        indentUnit != null && !indentUnit.isEmpty() && indentUnit.isBlank(),
        "indentUnit",
        indentUnit,
        "spaces or a tab");
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder();
    int depth = initialDepth;
    Matcher matcher = TOKEN.matcher(text);
    int last = 0;
    while (matcher.find()) {
      line.append(text, last, matcher.start());
      last = matcher.end();
      switch (matcher.group(1)) {
        case NEW_LINE -> {
          appendLine(out, line, depth, indentUnit);
          out.append('\n');
          line.setLength(0);
        }
        case INDENT -> depth++;
        default -> depth = Math.max(0, depth - 1);
      }
    }
    line.append(text, last, text.length());
    appendLine(out, line, depth, indentUnit);
    return out.toString();
  }

  private static void appendLine(StringBuilder out, StringBuilder line, int depth, String unit) {
    String content = line.toString().strip();
    if (!content.isEmpty()) {
      out.append(unit.repeat(depth)).append(content);
    }
  }

  /** Leading whitespace width, tabs to the next multiple of 8 (as Python's tokenizer does). */
  static int indentWidth(String line) {
    int width = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ' ') {
        width++;
      } else if (c == '\t') {
        width = (width / 8 + 1) * 8;
      } else {
        break;
      }
    }
    return width;
  }
}

package dev.text2code.tokenizers.pairs;

import dev.text2code.api.InvalidInputException;
import dev.text2code.tokenizers.SpecialTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes Python code on one line with {@code <NEW_LINE>}, {@code <INDENT>} and {@code <DEDENT>}
 * markers, the form of the paper's training data ({@code def f(): <NEW_LINE> <INDENT> return 1
 * <NEW_LINE> <DEDENT>}), and reverses it exactly.
 *
 * <p>Rules: lines are separated by {@code <NEW_LINE>}; a line indented by one more unit than the
 * current level opens a level ({@code <INDENT>}), a line indented by fewer units closes levels (one
 * {@code <DEDENT>} each); whitespace beyond the level's units (continuation lines, docstring
 * bodies) stays in the line's text. Open levels are closed at the end. Items are joined by one
 * space, and an empty line's text is left out, so the form is unambiguous: {@link #reverse(String)}
 * gives back the exact input for any code that does not itself contain a marker.
 */
public final class PythonLinearizer {
  public static final String NEW_LINE = SpecialTokens.NEW_LINE;
  public static final String INDENT = SpecialTokens.INDENT;
  public static final String DEDENT = SpecialTokens.DEDENT;

  private final String unit;

  /**
   * @param unit one indentation level, for example four spaces or a tab
   */
  public PythonLinearizer(String unit) {
    if (unit.isEmpty() || !unit.chars().allMatch(c -> c == ' ' || c == '\t')) {
      throw new IllegalArgumentException(
          "indentation unit " + quote(unit) + " is not valid; expected spaces or tabs");
    }
    this.unit = unit;
  }

  /** Four spaces per level: the paper's post-processing and PEP 8. */
  public static PythonLinearizer fourSpaces() {
    return new PythonLinearizer("    ");
  }

  /**
   * A linearizer whose unit is the indentation of the first indented line (default four spaces).
   */
  public static PythonLinearizer detect(String code) {
    for (String line : code.split("\n", -1)) {
      int i = 0;
      while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
      if (i > 0 && i < line.length()) return new PythonLinearizer(line.substring(0, i));
    }
    return fourSpaces();
  }

  public String unit() {
    return unit;
  }

  /** True when the text already holds a marker (for example the paper's pre-linearised code). */
  public static boolean isLinearized(String code) {
    return code.contains(NEW_LINE) || code.contains(INDENT) || code.contains(DEDENT);
  }

  /**
   * Linearises code.
   *
   * @throws InvalidInputException when the code already contains a marker spelling
   */
  public String linearize(String code) {
    if (isLinearized(code)) {
      throw new InvalidInputException(
          "code already contains "
              + NEW_LINE
              + "/"
              + INDENT
              + "/"
              + DEDENT
              + "; it cannot be linearised again (is it already linearised?)");
    }
    List<String> items = new ArrayList<>();
    String[] lines = code.split("\n", -1);
    int level = 0;
    for (int n = 0; n < lines.length; n++) {
      if (n > 0) items.add(NEW_LINE);
      String line = lines[n];
      if (line.isEmpty()) continue;
      int units = 0;
      while (line.startsWith(unit, units * unit.length())) units++;
      int target = Math.min(units, level + 1);
      if (target * unit.length() == line.length()) {
        target--; // a whitespace-only line keeps some text, so that it is not read as empty
      }
      for (; level > target; level--) items.add(DEDENT);
      if (target > level) {
        items.add(INDENT);
        level = target;
      }
      items.add(line.substring(target * unit.length()));
    }
    for (; level > 0; level--) items.add(DEDENT);
    return String.join(" ", items);
  }

  /**
   * Rebuilds code from its linearised form, indenting each level by this linearizer's unit. Accepts
   * the paper's data too (where spacing around markers may vary); for text produced by {@link
   * #linearize(String)} the result is exactly the original code.
   */
  public String reverse(String linear) {
    StringBuilder out = new StringBuilder(linear.length() + 64);
    StringBuilder line = new StringBuilder();
    int level = 0;
    int pos = 0;
    boolean lineHasText = false;
    while (pos <= linear.length()) {
      int next = nextMarker(linear, pos);
      int end = next < 0 ? linear.length() : next;
      String gap = linear.substring(pos, end);
      // One separating space on each side of an item belongs to the joining, not to the text.
      if (pos > 0 && gap.startsWith(" ")) gap = gap.substring(1);
      if (next >= 0 && gap.endsWith(" ")) gap = gap.substring(0, gap.length() - 1);
      if (!gap.isEmpty()) {
        if (!lineHasText) line.append(unit.repeat(Math.max(level, 0)));
        line.append(gap);
        lineHasText = true;
      }
      if (next < 0) break;
      if (linear.startsWith(NEW_LINE, next)) {
        out.append(line).append('\n');
        line.setLength(0);
        lineHasText = false;
        pos = next + NEW_LINE.length();
      } else if (linear.startsWith(INDENT, next)) {
        level++;
        pos = next + INDENT.length();
      } else {
        level--;
        pos = next + DEDENT.length();
      }
    }
    out.append(line);
    return out.toString();
  }

  private static int nextMarker(String s, int from) {
    int best = -1;
    for (String marker : new String[] {NEW_LINE, INDENT, DEDENT}) {
      int i = s.indexOf(marker, from);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    return best;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\t", "\\t") + "\"";
  }
}

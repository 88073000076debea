package dev.text2code.objectives;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Special-token spellings of two or more characters, found in text by their first two characters,
 * longest first: text scans jump between the few possible first characters with {@link
 * String#indexOf(int, int)} and test a handful of candidates, with no allocation.
 */
public final class SpecialSpellings {
  private final char[] firsts;
  private final char[][] seconds;
  private final String[][][] spellings;

  /** Spellings shorter than two characters are left out (they cannot be cut into). */
  public SpecialSpellings(Collection<String> all) {
    TreeMap<Character, TreeMap<Character, List<String>>> grouped = new TreeMap<>();
    for (String s : all) {
      if (s.length() < 2) continue;
      grouped
          .computeIfAbsent(s.charAt(0), k -> new TreeMap<>())
          .computeIfAbsent(s.charAt(1), k -> new ArrayList<>())
          .add(s);
    }
    firsts = new char[grouped.size()];
    seconds = new char[firsts.length][];
    spellings = new String[firsts.length][][];
    int f = 0;
    for (var byFirst : grouped.entrySet()) {
      firsts[f] = byFirst.getKey();
      seconds[f] = new char[byFirst.getValue().size()];
      spellings[f] = new String[seconds[f].length][];
      int k = 0;
      for (var bySecond : byFirst.getValue().entrySet()) {
        seconds[f][k] = bySecond.getKey();
        spellings[f][k++] =
            bySecond.getValue().stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s))
                .toArray(String[]::new);
      }
      f++;
    }
  }

  /** How many distinct first characters the spellings have. */
  public int firstCharacterCount() {
    return firsts.length;
  }

  /** The {@code k}-th distinct first character, in increasing order. */
  public char firstCharacter(int k) {
    return firsts[k];
  }

  /** Whether any spelling starts with {@code c}. */
  public boolean startsAny(char c) {
    return indexOf(firsts, c) >= 0;
  }

  /** The longest spelling that occurs in {@code text} at {@code at}, or "" when none does. */
  public String longestAt(String text, int at) {
    if (at + 1 >= text.length()) return "";
    int f = indexOf(firsts, text.charAt(at));
    if (f < 0) return "";
    int k = indexOf(seconds[f], text.charAt(at + 1));
    if (k < 0) return "";
    for (String s : spellings[f][k]) {
      if (text.startsWith(s, at)) return s;
    }
    return "";
  }

  private static int indexOf(char[] chars, char c) {
    for (int i = 0; i < chars.length; i++) if (chars[i] == c) return i;
    return -1;
  }
}

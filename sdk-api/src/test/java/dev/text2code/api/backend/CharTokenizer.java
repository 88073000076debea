package dev.text2code.api.backend;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A real, tiny tokenizer for backend tests: every token is one character, except special tokens
 * (spelled like {@code <eot>}, atomic, matched wherever their spelling occurs, earlier ids first).
 * The id of a token is its index in the token list, so a test chooses the layout it needs: specials
 * before the characters or after them.
 */
public final class CharTokenizer implements Tokenizer {
  /** Newline, then every printable ASCII character from space to tilde. */
  public static final String PRINTABLE_ASCII = printableAscii();

  /** Lower-case letters, digits and the few symbols of a tiny Python corpus. */
  public static final String SMALL_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 ():=+\n";

  private final List<String> tokens;

  /** Special tokens in id order: the encoder tries them in this order. */
  private final Map<String, Integer> specialIds;

  /**
   * A tokenizer whose token {@code i} has id {@code i}.
   *
   * @throws IllegalArgumentException if a token is neither one character nor {@code <special>}
   */
  public CharTokenizer(List<String> tokens) {
    this.tokens = List.copyOf(tokens);
    Map<String, Integer> specials = new LinkedHashMap<>();
    for (int i = 0; i < this.tokens.size(); i++) {
      String t = this.tokens.get(i);
      if (isSpecial(t)) specials.putIfAbsent(t, i);
      else if (t.length() != 1) {
        throw new IllegalArgumentException("token " + t + " is neither a character nor <special>");
      }
    }
    this.specialIds = Collections.unmodifiableMap(specials);
  }

  /** {@code specials} with ids {@code 0..}, then one id per character of {@code characters}. */
  public static CharTokenizer specialsThenCharacters(List<String> specials, String characters) {
    List<String> all = new ArrayList<>(specials);
    for (char c : characters.toCharArray()) all.add(String.valueOf(c));
    return new CharTokenizer(all);
  }

  /** One id per character of {@code characters}, then {@code specials}. */
  public static CharTokenizer charactersThenSpecials(String characters, List<String> specials) {
    List<String> all = new ArrayList<>();
    for (char c : characters.toCharArray()) all.add(String.valueOf(c));
    all.addAll(specials);
    return new CharTokenizer(all);
  }

  /** The same tokens with the one at {@code id} replaced by {@code spelling}. */
  public CharTokenizer withTokenAt(int id, String spelling) {
    List<String> changed = new ArrayList<>(tokens);
    changed.set(id, spelling);
    return new CharTokenizer(changed);
  }

  private static boolean isSpecial(String token) {
    return token.length() > 2 && token.startsWith("<") && token.endsWith(">");
  }

  private static String printableAscii() {
    StringBuilder chars = new StringBuilder("\n");
    for (char c = ' '; c <= '~'; c++) chars.append(c);
    return chars.toString();
  }

  @Override
  public String name() {
    return "test:chars";
  }

  @Override
  public TokenIds encode(String text) {
    List<Integer> ids = new ArrayList<>();
    int i = 0;
    outer:
    while (i < text.length()) {
      for (Map.Entry<String, Integer> s : specialIds.entrySet()) {
        if (text.startsWith(s.getKey(), i)) {
          ids.add(s.getValue());
          i += s.getKey().length();
          continue outer;
        }
      }
      int id = tokens.indexOf(String.valueOf(text.charAt(i)));
      if (id < 0) {
        throw new InvalidInputException(
            "character '" + text.charAt(i) + "' at index " + i + " is not in the vocabulary");
      }
      ids.add(id);
      i++;
    }
    return TokenIds.of(ids.stream().mapToInt(Integer::intValue).toArray());
  }

  @Override
  public String decode(TokenIds ids) {
    return decode(ids, false);
  }

  @Override
  public String decode(TokenIds ids, boolean skipSpecialTokens) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ids.length(); i++) {
      String t = tokenOf(ids.get(i));
      if (!(skipSpecialTokens && isSpecial(t))) out.append(t);
    }
    return out.toString();
  }

  @Override
  public int vocabularySize() {
    return tokens.size();
  }

  @Override
  public Map<String, Integer> specialTokens() {
    return specialIds;
  }

  @Override
  public String tokenOf(int id) {
    if (id < 0 || id >= tokens.size()) {
      throw new IllegalArgumentException("id " + id + " is outside [0, " + tokens.size() + ")");
    }
    return tokens.get(id);
  }

  @Override
  public OptionalInt idOf(String token) {
    int id = tokens.indexOf(token);
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public CharTokenizer withSpecialTokens(List<String> specials) {
    List<String> all = new ArrayList<>(tokens);
    for (String t : specials) if (!all.contains(t)) all.add(t);
    return new CharTokenizer(all);
  }
}

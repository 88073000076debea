package dev.text2code.backend.onnx;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A real, tiny tokenizer for tests: every token is one character, except special tokens (spelled
 * like {@code <eot>}, atomic, matched wherever their spelling occurs). The id of a token is its
 * index in the token list.
 */
final class CharTokenizer implements Tokenizer {
  static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 ():=+\n";
  private final List<String> tokens;

  CharTokenizer(List<String> tokens) {
    this.tokens = List.copyOf(tokens);
    for (String t : tokens) {
      if (t.length() != 1 && !isSpecial(t)) {
        throw new IllegalArgumentException("token " + t + " is neither a character nor <special>");
      }
    }
  }

  /** {@link #ALPHABET} then {@code <eot>}. */
  static CharTokenizer standard() {
    List<String> tokens = new ArrayList<>();
    for (char c : ALPHABET.toCharArray()) tokens.add(String.valueOf(c));
    tokens.add("<eot>");
    return new CharTokenizer(tokens);
  }

  /** The same tokens with the one at {@code id} replaced by {@code spelling}. */
  CharTokenizer withTokenAt(int id, String spelling) {
    List<String> changed = new ArrayList<>(tokens);
    changed.set(id, spelling);
    return new CharTokenizer(changed);
  }

  private static boolean isSpecial(String token) {
    return token.length() > 2 && token.startsWith("<") && token.endsWith(">");
  }

  @Override
  public String name() {
    return "char:test";
  }

  @Override
  public TokenIds encode(String text) {
    List<Integer> ids = new ArrayList<>();
    int i = 0;
    outer:
    while (i < text.length()) {
      for (Map.Entry<String, Integer> s : specialTokens().entrySet()) {
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
      String t = tokens.get(ids.get(i));
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
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) if (isSpecial(tokens.get(i))) map.put(tokens.get(i), i);
    return map;
  }

  @Override
  public String tokenOf(int id) {
    return tokens.get(id);
  }

  @Override
  public OptionalInt idOf(String token) {
    int id = tokens.indexOf(token);
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public Tokenizer withSpecialTokens(List<String> specials) {
    List<String> all = new ArrayList<>(tokens);
    for (String t : specials) if (!all.contains(t)) all.add(t);
    return new CharTokenizer(all);
  }
}

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
 * A real, tiny tokenizer for tests: one id per character of an alphabet, then special tokens
 * (atomic, matched wherever their spelling occurs).
 */
final class CharTokenizer implements Tokenizer {
  private final String alphabet;
  private final List<String> specials;

  CharTokenizer(String alphabet, List<String> specials) {
    this.alphabet = alphabet;
    this.specials = List.copyOf(specials);
  }

  /** Lower-case letters, digits and some Python punctuation, plus {@code <eot>}. */
  static CharTokenizer standard() {
    return new CharTokenizer("abcdefghijklmnopqrstuvwxyz0123456789 ():=+\n", List.of("<eot>"));
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
      for (int s = 0; s < specials.size(); s++) {
        if (text.startsWith(specials.get(s), i)) {
          ids.add(alphabet.length() + s);
          i += specials.get(s).length();
          continue outer;
        }
      }
      int id = alphabet.indexOf(text.charAt(i));
      if (id < 0) {
        throw new InvalidInputException(
            "character '" + text.charAt(i) + "' at index " + i + " is not in the alphabet");
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
      int id = ids.get(i);
      if (id < alphabet.length()) out.append(alphabet.charAt(id));
      else if (!skipSpecialTokens) out.append(specials.get(id - alphabet.length()));
    }
    return out.toString();
  }

  @Override
  public int vocabularySize() {
    return alphabet.length() + specials.size();
  }

  @Override
  public Map<String, Integer> specialTokens() {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int s = 0; s < specials.size(); s++) map.put(specials.get(s), alphabet.length() + s);
    return map;
  }

  @Override
  public String tokenOf(int id) {
    return decode(TokenIds.of(id));
  }

  @Override
  public OptionalInt idOf(String token) {
    Integer special = specialTokens().get(token);
    if (special != null) return OptionalInt.of(special);
    if (token.length() == 1 && alphabet.indexOf(token.charAt(0)) >= 0) {
      return OptionalInt.of(alphabet.indexOf(token.charAt(0)));
    }
    return OptionalInt.empty();
  }

  @Override
  public Tokenizer withSpecialTokens(List<String> tokens) {
    List<String> all = new ArrayList<>(specials);
    for (String t : tokens) if (!all.contains(t)) all.add(t);
    return new CharTokenizer(alphabet, all);
  }
}

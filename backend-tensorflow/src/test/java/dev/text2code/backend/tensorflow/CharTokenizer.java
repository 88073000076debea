package dev.text2code.backend.tensorflow;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A real, tiny character-level tokenizer for generation tests: id 0 is {@code <eot>}, then newline
 * and the printable ASCII characters; further special tokens may be added.
 */
final class CharTokenizer implements Tokenizer {
  static final String CHARACTERS;

  static {
    StringBuilder chars = new StringBuilder("\n");
    for (char c = ' '; c <= '~'; c++) chars.append(c);
    CHARACTERS = chars.toString();
  }

  private final List<String> specials;

  CharTokenizer() {
    this(List.of("<eot>"));
  }

  private CharTokenizer(List<String> specials) {
    this.specials = List.copyOf(specials);
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
      for (int s = 0; s < specials.size(); s++) {
        if (text.startsWith(specials.get(s), i)) {
          ids.add(specialId(s));
          i += specials.get(s).length();
          continue outer;
        }
      }
      int c = CHARACTERS.indexOf(text.charAt(i));
      if (c < 0) throw new InvalidInputException("character " + (int) text.charAt(i) + " unknown");
      ids.add(1 + c);
      i++;
    }
    return TokenIds.of(ids.stream().mapToInt(Integer::intValue).toArray());
  }

  private int specialId(int index) {
    return index == 0 ? 0 : CHARACTERS.length() + index;
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
      boolean special = id == 0 || id > CHARACTERS.length();
      if (special && skipSpecialTokens) continue;
      out.append(tokenOf(id));
    }
    return out.toString();
  }

  @Override
  public int vocabularySize() {
    return CHARACTERS.length() + specials.size();
  }

  @Override
  public Map<String, Integer> specialTokens() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int s = 0; s < specials.size(); s++) out.put(specials.get(s), specialId(s));
    return out;
  }

  @Override
  public String tokenOf(int id) {
    if (id == 0) return specials.get(0);
    if (id <= CHARACTERS.length()) return String.valueOf(CHARACTERS.charAt(id - 1));
    return specials.get(id - CHARACTERS.length());
  }

  @Override
  public OptionalInt idOf(String token) {
    TokenIds ids = encode(token);
    return ids.length() == 1 ? OptionalInt.of(ids.get(0)) : OptionalInt.empty();
  }

  @Override
  public Tokenizer withSpecialTokens(List<String> tokens) {
    List<String> all = new ArrayList<>(specials);
    for (String t : tokens) if (!all.contains(t)) all.add(t);
    return new CharTokenizer(all);
  }
}

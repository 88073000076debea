package dev.text2code.backend.pytorch;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A real, small tokenizer for generation tests: special tokens first (atomic, matched wherever
 * their spelling occurs), then one id per character of printable ASCII plus newline.
 */
final class CharTokenizer implements Tokenizer {
  private final List<String> specials;
  private final Map<String, Integer> specialIds = new LinkedHashMap<>();
  private final String characters;

  /** Extra special tokens added later, with ids after the characters. */
  private final List<String> extras;

  CharTokenizer(List<String> specials) {
    this(specials, List.of());
  }

  private CharTokenizer(List<String> specials, List<String> extras) {
    this.specials = List.copyOf(specials);
    this.extras = List.copyOf(extras);
    for (int i = 0; i < specials.size(); i++) specialIds.put(specials.get(i), i);
    StringBuilder chars = new StringBuilder("\n");
    for (char c = ' '; c <= '~'; c++) chars.append(c);
    this.characters = chars.toString();
    for (int i = 0; i < extras.size(); i++) {
      specialIds.put(extras.get(i), specials.size() + characters.length() + i);
    }
  }

  static CharTokenizer standard() {
    return new CharTokenizer(
        List.of("<eot>", "<python>", "<fim_prefix>", "<fim_suffix>", "<fim_middle>"));
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
      for (String s : specialIds.keySet()) {
        if (text.startsWith(s, i)) {
          ids.add(specialIds.get(s));
          i += s.length();
          continue outer;
        }
      }
      int c = characters.indexOf(text.charAt(i));
      if (c < 0)
        throw new ConfigurationException(
            "character " + (int) text.charAt(i) + " is not in the vocabulary");
      ids.add(specials.size() + c);
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
      boolean special = id < specials.size() || id >= specials.size() + characters.length();
      if (!special) out.append(characters.charAt(id - specials.size()));
      else if (!skipSpecialTokens) out.append(tokenOf(id));
    }
    return out.toString();
  }

  @Override
  public int vocabularySize() {
    return specials.size() + characters.length() + extras.size();
  }

  @Override
  public Map<String, Integer> specialTokens() {
    return Map.copyOf(specialIds);
  }

  @Override
  public String tokenOf(int id) {
    if (id < 0 || id >= vocabularySize()) {
      throw new IllegalArgumentException("id " + id + " is outside [0, " + vocabularySize() + ")");
    }
    if (id < specials.size()) return specials.get(id);
    if (id < specials.size() + characters.length()) {
      return String.valueOf(characters.charAt(id - specials.size()));
    }
    return extras.get(id - specials.size() - characters.length());
  }

  @Override
  public OptionalInt idOf(String token) {
    Integer s = specialIds.get(token);
    if (s != null) return OptionalInt.of(s);
    if (token.length() == 1 && characters.indexOf(token.charAt(0)) >= 0) {
      return OptionalInt.of(specials.size() + characters.indexOf(token.charAt(0)));
    }
    return OptionalInt.empty();
  }

  @Override
  public Tokenizer withSpecialTokens(List<String> tokens) {
    List<String> added = new ArrayList<>(extras);
    for (String t : tokens) if (!specialIds.containsKey(t) && !added.contains(t)) added.add(t);
    return new CharTokenizer(specials, added);
  }
}

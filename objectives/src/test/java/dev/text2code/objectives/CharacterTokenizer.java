package dev.text2code.objectives;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A real, tiny tokenizer for tests: ids 0..255 are the Latin-1 characters, special tokens follow in
 * the order given. Special tokens are matched atomically (longest spelling first) wherever they
 * occur, as the {@link Tokenizer} contract requires.
 */
public final class CharacterTokenizer implements Tokenizer {
  public static final List<String> PAPER_SPECIALS =
      withSentinels(
          List.of(
              "<eod>",
              "<eot>",
              "<pad>",
              "<python>",
              "<comments>",
              "<NEW_LINE>",
              "<INDENT>",
              "<DEDENT>",
              "<mask>",
              "<fim_prefix>",
              "<fim_middle>",
              "<fim_suffix>",
              "<fim_pad>",
              "<sep>",
              "<eom>",
              "<mask_1>",
              "<mask_2>",
              "<mask_3>",
              "<mask_4>",
              "<mask_5>",
              "<mask_6>",
              "<mask_7>",
              "<mask_8>",
              "[NLU]",
              "[NLG]",
              "[S2S]",
              "<|endoftext|>"));

  /**
   * T5-style sentinels at the top: {@code <extra_id_63> ... <extra_id_0>}, the last the highest.
   */
  private static List<String> withSentinels(List<String> specials) {
    List<String> all = new ArrayList<>(specials);
    for (int k = 63; k >= 0; k--) all.add("<extra_id_" + k + ">");
    return List.copyOf(all);
  }

  private final List<String> specials;
  private final Map<String, Integer> specialIds = new LinkedHashMap<>();
  private final Map<String, List<String>> byFirstTwo = new java.util.HashMap<>();
  private final java.util.BitSet firstChars = new java.util.BitSet();

  public CharacterTokenizer(List<String> specials) {
    this.specials = List.copyOf(specials);
    for (int i = 0; i < specials.size(); i++) specialIds.put(specials.get(i), 256 + i);
    for (String s : specials) {
      if (s.length() < 2) throw new IllegalArgumentException("special tokens have 2+ characters");
      byFirstTwo.computeIfAbsent(s.substring(0, 2), k -> new ArrayList<>()).add(s);
      firstChars.set(s.charAt(0));
    }
  }

  /** The paper's special tokens plus FIM, CodeGen2, UL2 and 64 T5 sentinel tokens. */
  public static CharacterTokenizer withPaperSpecials() {
    return new CharacterTokenizer(PAPER_SPECIALS);
  }

  @Override
  public String name() {
    return "test:characters";
  }

  @Override
  public TokenIds encode(String text) {
    int[] out = new int[text.length()];
    int n = 0;
    int i = 0;
    outer:
    while (i < text.length()) {
      if (firstChars.get(text.charAt(i)) && i + 1 < text.length()) {
        String best = null;
        for (String s : byFirstTwo.getOrDefault(text.substring(i, i + 2), List.of())) {
          if (text.startsWith(s, i) && (best == null || s.length() > best.length())) best = s;
        }
        if (best != null) {
          out[n++] = specialIds.get(best);
          i += best.length();
          continue outer;
        }
      }
      char c = text.charAt(i);
      if (c > 255) {
        throw new InvalidInputException(
            "character U+" + Integer.toHexString(c) + " is not Latin-1");
      }
      out[n++] = c;
      i++;
    }
    return TokenIds.of(java.util.Arrays.copyOf(out, n));
  }

  @Override
  public String decode(TokenIds ids) {
    return decode(ids, false);
  }

  @Override
  public String decode(TokenIds ids, boolean skipSpecialTokens) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ids.length(); i++) {
      int id = ids.get(i);
      if (id < 256) sb.append((char) id);
      else if (!skipSpecialTokens) sb.append(tokenOf(id));
    }
    return sb.toString();
  }

  @Override
  public int vocabularySize() {
    return 256 + specials.size();
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
    return id < 256 ? String.valueOf((char) id) : specials.get(id - 256);
  }

  @Override
  public OptionalInt idOf(String token) {
    if (token.length() == 1 && token.charAt(0) < 256) return OptionalInt.of(token.charAt(0));
    Integer id = specialIds.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public Tokenizer withSpecialTokens(List<String> tokens) {
    List<String> all = new ArrayList<>(specials);
    for (String t : tokens) if (!all.contains(t)) all.add(t);
    return new CharacterTokenizer(all);
  }
}

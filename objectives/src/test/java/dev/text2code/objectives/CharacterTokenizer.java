package dev.text2code.objectives;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import java.nio.charset.StandardCharsets;
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
  private final SpecialSpellings spellings;
  private final boolean[] startsSpecial = new boolean[256];

  public CharacterTokenizer(List<String> specials) {
    this.specials = List.copyOf(specials);
    for (int i = 0; i < specials.size(); i++) specialIds.put(specials.get(i), 256 + i);
    for (String s : specials) {
      if (s.length() < 2) throw new IllegalArgumentException("special tokens have 2+ characters");
      if (s.charAt(0) < 256) startsSpecial[s.charAt(0)] = true;
    }
    this.spellings = new SpecialSpellings(specials);
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
    char[] chars = text.toCharArray();
    int length = chars.length;
    int[] out = new int[length];
    int n = 0;
    int i = 0;
    while (i < length) {
      // A run of plain Latin-1 characters, one id each.
      int runEnd = i;
      while (runEnd < length && chars[runEnd] < 256 && !startsSpecial[chars[runEnd]]) runEnd++;
      for (; i < runEnd; i++) out[n++] = chars[i];
      if (i == length) break;
      String best = spellings.longestAt(text, i);
      if (!best.isEmpty()) {
        out[n++] = specialIds.get(best);
        i += best.length();
      } else if (chars[i] > 255) {
        throw new InvalidInputException(
            "character U+" + Integer.toHexString(chars[i]) + " is not Latin-1");
      } else {
        out[n++] = chars[i++];
      }
    }
    return TokenIds.of(n == length ? out : java.util.Arrays.copyOf(out, n));
  }

  @Override
  public String decode(TokenIds ids) {
    return decode(ids, false);
  }

  @Override
  public String decode(TokenIds ids, boolean skipSpecialTokens) {
    int n = ids.length();
    // Ids below 256 are Latin-1 characters: one byte each, until the first special token.
    byte[] latin1 = new byte[n];
    int i = 0;
    for (; i < n; i++) {
      int id = ids.get(i);
      if ((id & ~0xFF) != 0) break;
      latin1[i] = (byte) id;
    }
    if (i == n) return new String(latin1, StandardCharsets.ISO_8859_1);
    StringBuilder sb = new StringBuilder(n + 16);
    sb.append(new String(latin1, 0, i, StandardCharsets.ISO_8859_1));
    for (; i < n; i++) {
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

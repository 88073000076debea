package dev.text2code.api;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Turns text into token ids and back. Special tokens are atomic: the encoder never splits them and
 * finds them wherever their exact spelling occurs in the input.
 */
public interface Tokenizer {
  /**
   * A short name for reports and manifests, such as {@code hf:qwen3} or {@code tiktoken:p50k_base}.
   */
  String name();

  /** Encodes text, special tokens included, without adding any begin/end token. */
  TokenIds encode(String text);

  /** Decodes ids; special tokens are written as their spelling. */
  String decode(TokenIds ids);

  /** Decodes ids, leaving special tokens out when {@code skipSpecialTokens}. */
  String decode(TokenIds ids, boolean skipSpecialTokens);

  /** Number of ids, special tokens included: every id is in {@code [0, vocabularySize())}. */
  int vocabularySize();

  /** Special tokens by spelling, for example {@code "<python>" -> 50257}. */
  Map<String, Integer> specialTokens();

  /**
   * The id of a special token.
   *
   * @throws ConfigurationException naming the unknown token and listing the known ones
   */
  default int specialTokenId(String name) {
    Integer id = specialTokens().get(name);
    if (id == null) {
      throw new ConfigurationException(
          "special token "
              + name
              + " is not defined in tokenizer "
              + name()
              + "; known special tokens: "
              + specialTokens().keySet()
              + " (add it with withSpecialTokens)");
    }
    return id;
  }

  /** The vocabulary spelling of an id (byte-level BPE spells a leading space as {@code Ġ}). */
  String tokenOf(int id);

  /** The id of a vocabulary spelling, if it has one. */
  OptionalInt idOf(String token);

  /**
   * A tokenizer that also knows {@code tokens} as special tokens. Tokens already known keep their
   * ids; new ones get ids from {@link #vocabularySize()} upwards, in the given order.
   */
  Tokenizer withSpecialTokens(List<String> tokens);
}

package dev.text2code.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The test tokenizer the backend modules share must itself behave like a tokenizer. */
class CharTokenizerTest {
  private final CharTokenizer specialsFirst =
      CharTokenizer.specialsThenCharacters(
          List.of("<eot>", "<python>"), CharTokenizer.PRINTABLE_ASCII);
  private final CharTokenizer specialsLast =
      CharTokenizer.charactersThenSpecials(CharTokenizer.SMALL_ALPHABET, List.of("<eot>"));

  @Test
  void idsFollowTheChosenLayout() {
    assertEquals(2 + 96, specialsFirst.vocabularySize());
    assertEquals(Map.of("<eot>", 0, "<python>", 1), specialsFirst.specialTokens());
    assertEquals(TokenIds.of(2, 3), specialsFirst.encode("\n "));
    int eot = CharTokenizer.SMALL_ALPHABET.length();
    assertEquals(Map.of("<eot>", eot), specialsLast.specialTokens());
    assertEquals(TokenIds.of(0, eot, 1), specialsLast.encode("a<eot>b"));
  }

  @Test
  void specialTokensAreAtomicAndCanBeSkippedWhenDecoding() {
    String text = "def f(x):<python>\n    return x<eot>";
    TokenIds ids = specialsFirst.encode(text);
    assertEquals(text, specialsFirst.decode(ids));
    assertEquals("def f(x):\n    return x", specialsFirst.decode(ids, true));
    assertEquals(OptionalInt.of(1), specialsFirst.idOf("<python>"));
    assertEquals("<python>", specialsFirst.tokenOf(1));
  }

  @Test
  void addedSpecialsGetNewIdsAndKnownOnesKeepTheirs() {
    CharTokenizer more = specialsFirst.withSpecialTokens(List.of("<eot>", "<fim_middle>"));
    assertEquals(specialsFirst.vocabularySize() + 1, more.vocabularySize());
    assertEquals(0, more.specialTokenId("<eot>"));
    assertEquals(specialsFirst.vocabularySize(), more.specialTokenId("<fim_middle>"));
    assertEquals(TokenIds.of(2, specialsFirst.vocabularySize()), more.encode("\n<fim_middle>"));
  }

  @Test
  void aTokenCanBeRespelled() {
    int eot = specialsLast.specialTokenId("<eot>");
    CharTokenizer moved = specialsLast.withTokenAt(eot, "<old>").withTokenAt(0, "<eot>");
    assertEquals(Map.of("<old>", eot, "<eot>", 0), moved.specialTokens());
    assertEquals(OptionalInt.empty(), moved.idOf("a"));
  }

  @Test
  void badInputIsRejectedClearly() {
    InvalidInputException unknown =
        assertThrows(InvalidInputException.class, () -> specialsLast.encode("ab!"));
    assertTrue(unknown.getMessage().contains("'!' at index 2"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> specialsFirst.tokenOf(98));
    assertThrows(IllegalArgumentException.class, () -> new CharTokenizer(List.of("ab")));
  }
}

package dev.text2code.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.TokenIds;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecialSpellingsTest {
  private final SpecialSpellings spellings =
      new SpecialSpellings(List.of("<mask>", "<mask_1>", "<m>", "[NLU]", "x", "<eot>"));

  @Test
  void findsTheLongestSpellingAtAPosition() {
    assertEquals("<mask_1>", spellings.longestAt("a<mask_1>", 1));
    assertEquals("<mask>", spellings.longestAt("a<mask>_1>", 1));
    assertEquals("<m>", spellings.longestAt("<m>", 0));
    assertEquals("[NLU]", spellings.longestAt("[NLU]", 0));
  }

  @Test
  void answersEmptyWhereNoSpellingStarts() {
    assertEquals("", spellings.longestAt("a<mask_1>", 0));
    assertEquals("", spellings.longestAt("<mas", 0), "a cut-off spelling is no spelling");
    assertEquals("", spellings.longestAt("ab<", 2), "the last character starts nothing");
    assertEquals("", spellings.longestAt("x", 0), "one-character spellings are left out");
    assertEquals(2, spellings.firstCharacterCount());
    assertEquals('<', spellings.firstCharacter(0));
    assertTrue(spellings.startsAny('['));
    assertFalse(spellings.startsAny('x'));
  }

  @Test
  void characterTokenizerMatchesSpecialsAtomicallyAndRoundTrips() {
    CharacterTokenizer tokenizer = CharacterTokenizer.withPaperSpecials();
    int eot = tokenizer.specialTokenId("<eot>");
    int mask1 = tokenizer.specialTokenId("<mask_1>");
    String text = "<e<eot>[NL<mask_1>\u00e9";
    int[] ids = tokenizer.encode(text).toArray();
    assertArrayEquals(new int[] {'<', 'e', eot, '[', 'N', 'L', mask1, 0xe9}, ids);
    assertEquals(text, tokenizer.decode(TokenIds.of(ids)));
    assertEquals("<e[NL\u00e9", tokenizer.decode(TokenIds.of(ids), true));
  }
}

package dev.text2code.tokenizers.tiktoken;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.TokenIds;
import dev.text2code.tokenizers.SpecialTokens;
import org.junit.jupiter.api.Test;

class TiktokenTokenizerTest {
  private final TiktokenTokenizer p50k = TiktokenTokenizer.open("p50k_base");

  @Test
  void encodesLikeTiktoken() {
    // tiktoken: encoding_for_model("code-davinci-002").encode("hello world") == [31373, 995]
    assertArrayEquals(new int[] {31373, 995}, p50k.encode("hello world").toArray());
    assertEquals(50281, p50k.vocabularySize());
    assertEquals(50256, p50k.specialTokenId("<|endoftext|>"));
    assertEquals("Ġworld", p50k.tokenOf(995));
    assertEquals(995, p50k.idOf("Ġworld").orElseThrow());
  }

  @Test
  void roundTripsCodeWithUnicode() {
    String code = "def f(x):\n    return x * 2  # café 東京 🐍\n\t\tpass\n";
    assertEquals(code, p50k.decode(p50k.encode(code)));
  }

  @Test
  void addedSpecialTokensAreAtomicAndAppended() {
    var t = p50k.withSpecialTokens(SpecialTokens.PAPER);
    assertEquals(50281, t.specialTokenId(SpecialTokens.PAPER.get(0)));
    int python = t.specialTokenId("<python>");
    TokenIds ids = t.encode("a<python>b<|endoftext|>");
    assertEquals(python, ids.get(1));
    assertEquals(50256, ids.get(3));
    assertEquals("a<python>b<|endoftext|>", t.decode(ids));
    assertEquals("ab", t.decode(ids, true));
  }

  @Test
  void unknownEncodingListsTheValidNames() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> TiktokenTokenizer.open("p51k"));
    assertTrue(e.getMessage().contains("cl100k_base") && e.getMessage().contains("p51k"));
  }

  @Test
  void otherEncodingsOpen() {
    assertEquals(100277, TiktokenTokenizer.open("cl100k_base").vocabularySize());
    var o200k = TiktokenTokenizer.open("o200k_base");
    assertEquals("print(1)", o200k.decode(o200k.encode("print(1)")));
  }
}

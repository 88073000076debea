package dev.text2code.tokenizers.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Modality;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.Fixtures;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PairFormatTest {
  private final Tokenizer tokenizer =
      PairFormat.withPaperTokens(ByteLevelBpeTokenizer.load(Fixtures.trainedTokenizer()));
  private final TextCodePair pair =
      TextCodePair.python("t1", "Add two numbers.", "def add(a, b):\n    return a + b\n");

  private String decode(TokenSequence s, int from, int to) {
    return tokenizer.decode(TokenIds.of(Arrays.copyOfRange(s.ids(), from, to)));
  }

  @Test
  void commentsThenCodeLayout() {
    TokenSequence s = new PairFormat(tokenizer, PairLayout.COMMENTS_THEN_CODE, true).format(pair);
    assertEquals(
        "<comments>Add two numbers.<python>def add(a, b): <NEW_LINE> <INDENT> return a + b"
            + " <NEW_LINE> <DEDENT><eot>",
        tokenizer.decode(s.tokenIds()));
    int python = tokenizer.specialTokenId("<python>");
    assertEquals(python, s.id(s.prefixIndex()));
    for (int i = 0; i < s.length(); i++) {
      assertEquals(i <= s.prefixIndex() ? Modality.TEXT : Modality.CODE, s.modality(i), "at " + i);
    }
    assertEquals(tokenizer.specialTokenId("<eot>"), s.id(s.length() - 1));
  }

  @Test
  void signatureDocstringBodyLayout() {
    TokenSequence s =
        new PairFormat(tokenizer, PairLayout.SIGNATURE_DOCSTRING_BODY, true).format(pair);
    assertEquals(
        "<|beginoftext|>def add(a, b):<comments>\n    \"\"\" Add two numbers. \"\"\"<python>"
            + " <NEW_LINE> <INDENT> return a + b <NEW_LINE> <DEDENT><eot>",
        tokenizer.decode(s.tokenIds()));
    int comments =
        Arrays.stream(s.ids()).boxed().toList().indexOf(tokenizer.specialTokenId("<comments>"));
    assertEquals("<|beginoftext|>def add(a, b):", decode(s, 0, comments));
    for (int i = 0; i < s.length(); i++) {
      Modality expected = i < comments || i > s.prefixIndex() ? Modality.CODE : Modality.TEXT;
      assertEquals(expected, s.modality(i), "at " + i);
    }
    assertEquals(tokenizer.specialTokenId("<python>"), s.id(s.prefixIndex()));
  }

  @Test
  void multiLineDocstringsAreIndented() {
    assertEquals(
        "\n    \"\"\"\n    First.\n    Second.\n    \"\"\"",
        PairFormat.docstring("First.\nSecond."));
  }

  @Test
  void preLinearisedCodeIsUsedAsItIs() {
    TextCodePair linear =
        TextCodePair.python(
            "t2", "Add.", "def add(a, b): <NEW_LINE> <INDENT> return a + b <NEW_LINE> <DEDENT>");
    TokenSequence s = new PairFormat(tokenizer, PairLayout.COMMENTS_THEN_CODE, true).format(linear);
    assertTrue(tokenizer.decode(s.tokenIds()).contains(linear.code()));
  }

  @Test
  void rawCodeWithoutLinearisationKeepsNewLines() {
    TokenSequence s =
        new PairFormat(tokenizer, PairLayout.SIGNATURE_DOCSTRING_BODY, false).format(pair);
    assertTrue(tokenizer.decode(s.tokenIds()).endsWith("<python>\n    return a + b\n<eot>"));
  }

  @Test
  void codeWithoutSignatureIsReported() {
    TextCodePair noDef = TextCodePair.python("mbpp/7", "Sum.", "x = 1 + 2");
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                new PairFormat(tokenizer, PairLayout.SIGNATURE_DOCSTRING_BODY, true).format(noDef));
    assertTrue(e.getMessage().contains("mbpp/7"));
  }

  @Test
  void tokenizerWithoutPaperTokensIsReported() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                new PairFormat(
                    ByteLevelBpeTokenizer.load(Fixtures.trainedTokenizer()),
                    PairLayout.COMMENTS_THEN_CODE,
                    true));
    assertTrue(e.getMessage().contains("<comments>"));
  }

  @Test
  void layoutNamesParse() {
    assertEquals(PairLayout.SIGNATURE_DOCSTRING_BODY, PairLayout.parse("signature-docstring-body"));
    assertThrows(ConfigurationException.class, () -> PairLayout.parse("pangu"));
  }
}

package dev.text2code.tokenizers.pairs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.bpe.BpeTrainer;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Benchmark prompts start exactly as training sequences of the same layout do. */
class PromptBuilderTest {
  @TempDir static Path temp;
  static Tokenizer tokenizer;

  @BeforeAll
  static void tokenizer() {
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(400, List.of()));
    List<String> corpus =
        List.of(
            "def add(a, b):\n    return a + b\n",
            "def is_even(n):\n    if n % 2 == 0:\n        return True\n    return False\n",
            "Return the sum of a and b. Check whether n is even.");
    Path file = trainer.write(trainer.train(corpus), temp.resolve("tokenizer.json"));
    tokenizer = PairFormat.withPaperTokens(ByteLevelBpeTokenizer.load(file));
  }

  static final TextCodePair ADD =
      TextCodePair.python(
          "add", "Return the sum of a and b.", "def add(a, b):\n    return a + b\n");
  static final String ADD_PROMPT =
      "def add(a, b):\n    \"\"\" Return the sum of a and b.\n    \"\"\"\n";

  @Test
  void everyLayoutStartsLikeItsTrainingSequence() {
    for (PairLayout layout : PairLayout.values()) {
      for (boolean linearize : new boolean[] {false, true}) {
        String what = layout.configName() + ", linearize " + linearize;
        TokenSequence training = new PairFormat(tokenizer, layout, linearize).format(ADD);
        TokenSequence prompt = new PromptBuilder(tokenizer, layout, linearize).build(ADD_PROMPT);
        int upToSeparator = training.prefixIndex() + 1;
        assertEquals(training.prefixIndex(), prompt.prefixIndex(), what);
        assertTrue(prompt.length() >= upToSeparator, what);
        assertArrayEquals(
            Arrays.copyOf(training.ids(), upToSeparator),
            Arrays.copyOf(prompt.ids(), upToSeparator),
            what + ": " + tokenizer.decode(prompt.tokenIds()));
        assertArrayEquals(
            Arrays.copyOf(training.modalityCodes(), upToSeparator),
            Arrays.copyOf(prompt.modalityCodes(), upToSeparator),
            what);
        // what follows the separator is the start of the training code
        String after =
            tokenizer.decode(
                dev.text2code.api.TokenIds.of(
                    Arrays.copyOfRange(prompt.ids(), upToSeparator, prompt.length())));
        String trained =
            tokenizer.decode(
                dev.text2code.api.TokenIds.of(
                    Arrays.copyOfRange(training.ids(), upToSeparator, training.length())));
        assertTrue(trained.startsWith(after), what + ": '" + after + "' vs '" + trained + "'");
      }
    }
  }

  @Test
  void theSignatureIsTheOneThatOwnsTheDocstring() {
    String prompt =
        "import math\n\n\ndef helper(x):\n    return x\n\n\ndef add(a, b):\n"
            + "    \"\"\"Return the sum\n    of a and b.\n    \"\"\"\n";
    TokenSequence s =
        new PromptBuilder(tokenizer, PairLayout.SIGNATURE_DOCSTRING_BODY, false).build(prompt);
    String decoded = tokenizer.decode(s.tokenIds());
    assertEquals(
        "<|beginoftext|>import math\n\n\ndef helper(x):\n    return x\n\n\ndef add(a, b):"
            + "<comments>\n    \"\"\"\n    Return the sum\n    of a and b.\n    \"\"\"<python>",
        decoded);
  }

  @Test
  void codeAfterTheDocstringKeepsItsIndentation() {
    String prompt = "def f(n):\n    \"\"\" Count. \"\"\"\n    total = 0\n";
    assertEquals("def f(n):\n    total = 0\n", PromptBuilder.split(prompt).code());
    TokenSequence s =
        new PromptBuilder(tokenizer, PairLayout.SIGNATURE_DOCSTRING_BODY, false).build(prompt);
    assertTrue(
        tokenizer.decode(s.tokenIds()).endsWith("<python>\n    total = 0\n"),
        tokenizer.decode(s.tokenIds()));
  }

  @Test
  void aModuleDocstringHasNoSignatureToPutFirst() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                new PromptBuilder(tokenizer, PairLayout.SIGNATURE_DOCSTRING_BODY, false)
                    .build("\"\"\" A module. \"\"\"\nimport os\n"));
    assertTrue(e.getMessage().contains("signature-docstring-body"), e.getMessage());
  }

  @Test
  void aPromptEndingInsideABlockIsLinearisedWithTheBlockOpen() {
    assertEquals(1, PromptBuilder.nextDepth("def f(xs):"));
    assertEquals(2, PromptBuilder.nextDepth("def f(xs):\n    for x in xs:\n"));
    assertEquals(1, PromptBuilder.nextDepth("def f(xs):\n    total = 0\n\n"));
    assertEquals(0, PromptBuilder.nextDepth("import os\n"));
    String prompt = "def f(xs):\n    \"\"\" Sum. \"\"\"\n    total = 0\n    for x in xs:\n";
    String linear =
        tokenizer.decode(
            new PromptBuilder(tokenizer, PairLayout.COMMENTS_THEN_CODE, true)
                .build(prompt)
                .tokenIds());
    // the loop's body is open: two indents so far, no dedent
    assertEquals(2, linear.split("<INDENT>", -1).length - 1, linear);
    assertTrue(!linear.contains("<DEDENT>") && !linear.contains("pass"), linear);
  }
}

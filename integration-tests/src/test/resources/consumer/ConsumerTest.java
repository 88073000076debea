package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.pairs.PairFormat;
import dev.text2code.tokenizers.pairs.PairLayout;
import dev.text2code.tokenizers.routing.ModalityRouters;
import dev.text2code.tokenizers.tiktoken.TiktokenTokenizer;
import org.junit.jupiter.api.Test;

/** What a consumer of the SDK writes: a paper-layout pair, routed under partial separation. */
class ConsumerTest {
  @Test
  void formatsAndRoutesAPair() {
    Tokenizer tokenizer = PairFormat.withPaperTokens(TiktokenTokenizer.open("p50k_base"));
    ModalityRouter router = ModalityRouters.build(tokenizer, Separation.PARTIAL);
    TokenSequence pair =
        new PairFormat(ModalityRouters.extend(tokenizer, router), PairLayout.COMMENTS_THEN_CODE, false)
            .format(TextCodePair.python("ex", "Add two numbers.", "def add(a, b):\n    return a + b\n"));
    TokenSequence routed = router.route(pair);
    assertEquals(tokenizer.specialTokenId("<python>"), pair.id(pair.prefixIndex()));
    assertTrue(routed.id(pair.prefixIndex() + 1) >= tokenizer.vocabularySize(), "'def' is a code replica");
  }
}

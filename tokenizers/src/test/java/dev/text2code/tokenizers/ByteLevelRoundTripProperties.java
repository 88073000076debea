package dev.text2code.tokenizers;

import static org.quicktheories.QuickTheory.qt;

import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.text2code.tokenizers.hf.HuggingFaceTokenizer;
import dev.text2code.tokenizers.tiktoken.TiktokenTokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** decode(encode(s)) == s for every byte-level tokenizer, on arbitrary Unicode. */
class ByteLevelRoundTripProperties {
  private static final ByteLevelBpeTokenizer JAVA =
      ByteLevelBpeTokenizer.load(Fixtures.trainedTokenizer());
  private static final HuggingFaceTokenizer RUST =
      HuggingFaceTokenizer.load(Fixtures.trainedTokenizer());
  private static final TiktokenTokenizer P50K = TiktokenTokenizer.open("p50k_base");

  @Test
  void javaBpeRoundTrips() {
    qt().withExamples(1000)
        .forAll(UnicodeStrings.strings(60))
        .check(s -> JAVA.decode(JAVA.encode(s)).equals(s));
  }

  @Test
  void javaBpeGivesTheRustIds() {
    qt().withExamples(500)
        .forAll(UnicodeStrings.definedStrings(60))
        .check(s -> Arrays.equals(JAVA.encodeToArray(s), RUST.encode(s).toArray()));
  }

  @Test
  void rustRoundTrips() {
    qt().withExamples(300)
        .forAll(UnicodeStrings.strings(60))
        .check(s -> RUST.decode(RUST.encode(s)).equals(s));
  }

  @Test
  void tiktokenRoundTrips() {
    qt().withExamples(500)
        .forAll(UnicodeStrings.strings(60))
        .check(s -> P50K.decode(P50K.encode(s)).equals(s));
  }
}

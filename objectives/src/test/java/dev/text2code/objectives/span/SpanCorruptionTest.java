package dev.text2code.objectives.span;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.CharacterTokenizer;
import dev.text2code.objectives.span.SpanCorruption.LengthSearch;
import dev.text2code.objectives.span.SpanCorruption.Lengths;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The published T5 vectors of docs/METHODS.md §4.1 and the T5 test suite. */
class SpanCorruptionTest {
  private static final int[] TOKENS = {10, 11, 12, 13, 14, 15};
  private static final boolean[] MASK = {true, true, false, false, true, false};

  @Test
  void sentinelFunctionsMatchT5PreprocessorsTest() {
    assertArrayEquals(
        new int[] {999, 12, 13, 998, 15},
        SpanCorruption.noiseSpanToUniqueSentinel(TOKENS, MASK, 999));
    assertArrayEquals(
        new int[] {999, 999, 12, 13, 999, 15},
        SpanCorruption.noiseTokenToSentinel(TOKENS, MASK, 999));
    assertArrayEquals(
        new int[] {999, 12, 13, 999, 15}, SpanCorruption.noiseSpanToSentinel(TOKENS, MASK, 999));
    // T5 test_nonnoise_span_to_sentinel (docs/METHODS.md lists this vector under the unique
    // variant).
    assertArrayEquals(
        new int[] {10, 11, 999, 14, 999}, SpanCorruption.nonNoiseSpanToSentinel(TOKENS, MASK, 999));
    // The unique variant on the complement mask counts down: 999 then 998.
    assertArrayEquals(
        new int[] {10, 11, 999, 14, 998},
        SpanCorruption.nonNoiseSpanToUniqueSentinel(TOKENS, MASK, 999));
    assertArrayEquals(new int[] {12, 13, 15}, SpanCorruption.dropNoiseTokens(TOKENS, MASK));
    assertArrayEquals(new int[] {10, 11, 14}, SpanCorruption.dropNonNoiseTokens(TOKENS, MASK));
  }

  @Test
  void lengthHelperMatchesPublishedVectors() {
    assertEquals(
        new Lengths(70, 22), SpanCorruption.randomSpansHelper(64, 0.2, 2, LengthSearch.T5));
    assertEquals(
        new Lengths(63, 27), SpanCorruption.randomSpansHelper(64, 0.2, 1, LengthSearch.T5));
    assertEquals(
        new Lengths(64, 27),
        SpanCorruption.randomSpansHelper(64, 0.2, 1, LengthSearch.HUGGING_FACE));
    for (LengthSearch search : LengthSearch.values()) {
      assertEquals(new Lengths(568, 114), SpanCorruption.randomSpansHelper(512, .15, 3, search));
      assertEquals(new Lengths(630, 126), SpanCorruption.randomSpansHelper(568, .15, 3, search));
      assertEquals(new Lengths(1137, 229), SpanCorruption.randomSpansHelper(1024, .15, 3, search));
      assertEquals(new Lengths(766, 512), SpanCorruption.randomSpansHelper(512, .5, 3, search));
    }
  }

  @Test
  void roundingIsHalfToEven() {
    // 2.5 noise tokens round to 2 (half-to-even), not 3 (Math.round would say 3).
    assertEquals(2, SpanCorruption.noiseTokens(10, 0.25));
    assertEquals(4, SpanCorruption.noiseTokens(14, 0.25)); // 3.5 -> 4
    assertEquals(2, SpanCorruption.noiseSpans(5, 2.0)); // 2.5 -> 2
    assertEquals(4, SpanCorruption.noiseSpans(7, 2.0)); // 3.5 -> 4
  }

  @Test
  void noiseMaskHasT5Shape() {
    // T5 test_random_spans_noise_mask: L = 32, d = .25, mu = 2 -> 8 noise tokens in 4 spans,
    // starting with non-noise and ending with noise. A Java RNG cannot reproduce TF's shuffle, so
    // we check the invariants for many seeds.
    for (long seed = 0; seed < 200; seed++) {
      boolean[] mask = SpanCorruption.randomSpansNoiseMask(32, 0.25, 2, new SplittableRandom(seed));
      int noise = 0;
      int spans = 0;
      for (int i = 0; i < 32; i++) {
        if (mask[i]) noise++;
        if (mask[i] && (i == 0 || !mask[i - 1])) spans++;
      }
      assertEquals(8, noise);
      assertEquals(4, spans);
      assertFalse(mask[0]);
      assertTrue(mask[31]);
    }
  }

  @Test
  void segmentationCoversEveryCutEqually() {
    // Splitting 4 items in 2 segments: first lengths 1, 2, 3 each with probability 1/3.
    int[] counts = new int[4];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 30_000; i++) counts[SpanCorruption.randomSegmentation(4, 2, random)[0]]++;
    for (int len = 1; len <= 3; len++) {
      assertTrue(Math.abs(counts[len] - 10_000) < 500, "length " + len + ": " + counts[len]);
    }
  }

  @Test
  void objectiveBuildsT5InputsAndTargetsWithSentinelsFromTheTop() {
    CharacterTokenizer tokenizer = CharacterTokenizer.withPaperSpecials();
    SpanCorruptionObjective objective =
        SpanCorruptionObjective.create(
            tokenizer, Settings.empty(), SpanCorruptionObjective.Form.DECODER_ONLY);
    int[] ids = new int[100];
    for (int i = 0; i < ids.length; i++) ids[i] = 'a' + i % 26;
    TokenSequence seq = TokenSequence.uniform(ids, Modality.CODE);
    SpanCorruptionPair pair = objective.corrupt(seq, new SplittableRandom(3));
    int eot = tokenizer.specialTokenId("<eot>");
    int top = tokenizer.vocabularySize() - 1;
    assertEquals(eot, pair.inputs().id(pair.inputs().length() - 1));
    assertEquals(top, pair.targets().id(0), "targets open with the first sentinel");
    // 15 noise tokens in 5 spans: inputs = 85 + 5 + EOS, targets = 15 + 5 + EOS.
    assertEquals(91, pair.inputs().length());
    assertEquals(21, pair.targets().length());
    TrainingExample example = objective.apply(seq, new SplittableRandom(3));
    assertEquals(112, example.length());
    assertEquals(21, example.labelledCount(), "loss on every target token");
    assertEquals(TrainingExample.IGNORE, example.label(89));
    assertEquals(top, example.label(90), "the last input predicts the first target");
  }

  @Test
  void encoderDecoderFormSeesTheInputsBidirectionally() {
    CharacterTokenizer tokenizer = CharacterTokenizer.withPaperSpecials();
    SpanCorruptionObjective objective =
        SpanCorruptionObjective.create(
            tokenizer,
            Settings.of(Map.of("objectives.span-corruption.noise-density", "0.3")),
            SpanCorruptionObjective.Form.ENCODER_DECODER);
    TokenSequence seq =
        TokenSequence.uniform(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Modality.TEXT);
    TrainingExample example = objective.apply(seq, new SplittableRandom(1));
    int inputs = objective.corrupt(seq, new SplittableRandom(1)).inputs().length();
    assertEquals(inputs, example.attention().prefixLength(0));
    assertTrue(example.attention().canAttend(0, inputs - 1));
    assertFalse(example.attention().canAttend(inputs, inputs + 1));
  }

  @Test
  void sentinelsMustBeReservedAndSufficient() {
    var plain = new CharacterTokenizer(java.util.List.of("<eot>"));
    var e =
        assertThrows(
            dev.text2code.api.ConfigurationException.class,
            () ->
                SpanCorruptionObjective.create(
                    plain, Settings.empty(), SpanCorruptionObjective.Form.DECODER_ONLY));
    assertTrue(e.getMessage().contains("<extra_id_0>"), e.getMessage());
    assertTrue(e.getMessage().contains("objectives.span-corruption-decoder.top-sentinel"));
    var few = plain.withSpecialTokens(java.util.List.of("<extra_id_1>", "<extra_id_0>"));
    SpanCorruptionObjective twoSentinels =
        SpanCorruptionObjective.create(
            few, Settings.empty(), SpanCorruptionObjective.Form.DECODER_ONLY);
    int[] ids = new int[200];
    java.util.Arrays.fill(ids, 'a');
    var tooMany =
        assertThrows(
            dev.text2code.api.ConfigurationException.class,
            () ->
                twoSentinels.apply(
                    TokenSequence.uniform(ids, Modality.CODE), new SplittableRandom(1)));
    assertTrue(tooMany.getMessage().contains("only 2 are reserved"), tooMany.getMessage());
  }

  @Test
  void badSettingsNameTheKey() {
    var e =
        assertThrows(
            dev.text2code.api.ConfigurationException.class,
            () ->
                SpanCorruptionObjective.create(
                    CharacterTokenizer.withPaperSpecials(),
                    Settings.of(Map.of("objectives.span-corruption.noise-density", "1.5")),
                    SpanCorruptionObjective.Form.ENCODER_DECODER));
    assertTrue(e.getMessage().contains("objectives.span-corruption.noise-density"), e.getMessage());
  }
}

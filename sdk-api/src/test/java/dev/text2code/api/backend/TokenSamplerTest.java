package dev.text2code.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {
  private static final float[] LOGITS = {
    (float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)
  };

  private static boolean[] all(int n) {
    boolean[] a = new boolean[n];
    Arrays.fill(a, true);
    return a;
  }

  private static int[] histogram(GenerationConfig config, boolean[] allowed, int draws) {
    TokenSampler sampler = new TokenSampler(config, allowed);
    SplittableRandom random = TokenSampler.randomFor(config.seed(), 0, 0);
    int[] counts = new int[LOGITS.length];
    for (int i = 0; i < draws; i++) counts[sampler.next(LOGITS, random)]++;
    return counts;
  }

  private static GenerationConfig sampling(double temperature, int topK, double topP) {
    return new GenerationConfig(8, true, temperature, topK, topP, 1, List.of(), 11, false);
  }

  @Test
  void greedyTakesTheBestAllowedRow() {
    GenerationConfig greedy = GenerationConfig.greedy(8, List.of());
    assertEquals(0, new TokenSampler(greedy, all(4)).next(LOGITS, new SplittableRandom(1)));
    boolean[] noBest = {false, true, true, true};
    assertEquals(1, new TokenSampler(greedy, noBest).next(LOGITS, new SplittableRandom(1)));
  }

  @Test
  void samplingFollowsTheSoftmax() {
    int[] counts = histogram(sampling(1.0, 0, 1.0), all(4), 20_000);
    double[] expected = {0.5, 0.3, 0.15, 0.05};
    for (int i = 0; i < 4; i++) assertEquals(expected[i], counts[i] / 20_000.0, 0.015, "row " + i);
  }

  @Test
  void topKAndTopPCutTheTail() {
    int[] topK = histogram(sampling(1.0, 2, 1.0), all(4), 5_000);
    assertEquals(0, topK[2] + topK[3]);
    assertEquals(0.5 / 0.8, topK[0] / 5_000.0, 0.03);
    // nucleus for p = 0.75: {0.5, 0.3} is the smallest set reaching it
    int[] topP = histogram(sampling(1.0, 0, 0.75), all(4), 5_000);
    assertEquals(0, topP[2] + topP[3]);
    assertTrue(topP[1] > 1_000);
  }

  @Test
  void lowTemperatureSharpensAndMaskedRowsAreNeverDrawn() {
    int[] cold = histogram(sampling(0.05, 0, 1.0), all(4), 2_000);
    assertEquals(2_000, cold[0]);
    int[] masked =
        histogram(sampling(1.0, 0, 1.0), new boolean[] {false, true, false, true}, 2_000);
    assertEquals(0, masked[0] + masked[2]);
    assertEquals(0.3 / 0.35, masked[1] / 2_000.0, 0.03);
  }

  @Test
  void anAllFalseMaskIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new TokenSampler(GenerationConfig.greedy(1, List.of()), new boolean[3]));
  }
}

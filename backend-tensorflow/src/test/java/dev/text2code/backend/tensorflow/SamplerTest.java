package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.text2code.api.backend.GenerationConfig;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final float[] LOGITS = {
    (float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)
  };

  private static GenerationConfig sampling(double temperature, int topK, double topP) {
    return new GenerationConfig(8, true, temperature, topK, topP, 1, List.of(), 1, false);
  }

  private static int[] counts(GenerationConfig config, boolean[] allowed) {
    RandomGenerator random = Sampler.randomFor(3, 0, 0);
    int[] counts = new int[LOGITS.length];
    for (int i = 0; i < 20000; i++) counts[Sampler.choose(LOGITS, allowed, config, random)]++;
    return counts;
  }

  @Test
  void greedyTakesTheLargestAllowedRow() {
    GenerationConfig greedy = GenerationConfig.greedy(8, List.of());
    RandomGenerator random = Sampler.randomFor(0, 0, 0);
    assertEquals(0, Sampler.choose(LOGITS, new boolean[0], greedy, random));
    assertEquals(1, Sampler.choose(LOGITS, new boolean[] {false, true, true}, greedy, random));
  }

  @Test
  void samplingFollowsTheSoftmax() {
    int[] counts = counts(sampling(1.0, 0, 1.0), new boolean[0]);
    assertEquals(0.5, counts[0] / 20000.0, 0.02);
    assertEquals(0.3, counts[1] / 20000.0, 0.02);
    assertEquals(0.2, counts[2] / 20000.0, 0.02);
  }

  @Test
  void temperatureSharpens() {
    int[] counts = counts(sampling(0.25, 0, 1.0), new boolean[0]);
    // p ∝ p^4: 0.0625, 0.0081, 0.0016 -> 0.871, 0.113, 0.022
    assertEquals(0.871, counts[0] / 20000.0, 0.02);
  }

  @Test
  void topKAndTopPCutTheTail() {
    assertEquals(0, counts(sampling(1.0, 2, 1.0), new boolean[0])[2]);
    int[] nucleus = counts(sampling(1.0, 0, 0.7), new boolean[0]);
    assertEquals(0, nucleus[2]);
    assertEquals(0.625, nucleus[0] / 20000.0, 0.02); // 0.5 / 0.8 after renormalising
    assertEquals(20000, counts(sampling(1.0, 1, 1.0), new boolean[0])[0]);
    assertEquals(20000, counts(sampling(1.0, 0, 0.01), new boolean[0])[0]);
  }

  @Test
  void disallowedRowsAreNeverSampled() {
    int[] counts = counts(sampling(1.0, 0, 1.0), new boolean[] {false, true, true});
    assertEquals(0, counts[0]);
    assertEquals(0.6, counts[1] / 20000.0, 0.02);
  }

  @Test
  void streamsDifferPerPromptAndSample() {
    assertNotEquals(Sampler.randomFor(1, 0, 0).nextLong(), Sampler.randomFor(1, 0, 1).nextLong());
    assertNotEquals(Sampler.randomFor(1, 0, 0).nextLong(), Sampler.randomFor(1, 1, 0).nextLong());
    assertEquals(Sampler.randomFor(1, 2, 3).nextLong(), Sampler.randomFor(1, 2, 3).nextLong());
  }
}

package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.text2code.api.backend.GenerationConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Whatever the logits and settings, the sampler stays inside the rows it may choose. */
class SamplerProperties {
  private static boolean[] allowedRows(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] allowed = new boolean[rows];
    for (int r = 0; r < rows; r++) allowed[r] = random.nextInt(3) > 0;
    allowed[random.nextInt(rows)] = true;
    return allowed;
  }

  private static float[] array(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) out[i] = values.get(i);
    return out;
  }

  /** Allowed rows whose logit is strictly larger than the chosen one's. */
  private static int strictlyBetter(float[] logits, boolean[] allowed, int chosen) {
    int better = 0;
    for (int r = 0; r < logits.length; r++) {
      if (allowed[r] && logits[r] > logits[chosen]) better++;
    }
    return better;
  }

  @Test
  void samplesStayAllowedAndWithinTopK() {
    qt().forAll(
            lists().of(floats().between(-20f, 20f)).ofSizeBetween(1, 60),
            integers().between(0, 6),
            doubles().between(0.05, 1.0),
            longs().all())
        .checkAssert(
            (values, topK, topP, seed) -> {
              float[] logits = array(values);
              boolean[] allowed = allowedRows(logits.length, seed);
              GenerationConfig config =
                  new GenerationConfig(4, true, 0.7, topK, topP, 1, List.of(), seed, true);
              int chosen = Sampler.choose(logits, allowed, config, Sampler.randomFor(seed, 0, 0));
              assertTrue(allowed[chosen], "chose disallowed row " + chosen);
              if (topK > 0) {
                assertTrue(
                    strictlyBetter(logits, allowed, chosen) < topK,
                    "row " + chosen + " is outside the top " + topK);
              }
            });
  }

  @Test
  void greedyTakesAnAllowedMaximum() {
    qt().forAll(lists().of(floats().between(-20f, 20f)).ofSizeBetween(1, 60), longs().all())
        .checkAssert(
            (values, seed) -> {
              float[] logits = array(values);
              boolean[] allowed = allowedRows(logits.length, seed);
              int chosen =
                  Sampler.choose(
                      logits,
                      allowed,
                      GenerationConfig.greedy(4, List.of()),
                      Sampler.randomFor(seed, 0, 0));
              assertTrue(allowed[chosen]);
              assertTrue(strictlyBetter(logits, allowed, chosen) == 0);
            });
  }
}

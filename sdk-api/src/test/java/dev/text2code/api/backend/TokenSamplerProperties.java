package dev.text2code.api.backend;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Properties of the next-token choice every generation step makes, and the fast choice against a
 * sort-based reference.
 */
class TokenSamplerProperties {
  private static org.quicktheories.core.Gen<float[]> logits(
      float low, float high, int minRows, int maxRows) {
    return lists()
        .of(floats().between(low, high))
        .ofSizeBetween(minRows, maxRows)
        .map(
            list -> {
              float[] out = new float[list.size()];
              for (int i = 0; i < out.length; i++) out[i] = list.get(i);
              return out;
            });
  }

  /** The shared sampler's choice; a null mask allows every row. */
  private static int choose(
      float[] logits,
      boolean[] allowed,
      GenerationConfig config,
      java.util.random.RandomGenerator random) {
    boolean[] mask = allowed;
    if (mask == null) {
      mask = new boolean[logits.length];
      java.util.Arrays.fill(mask, true);
    }
    return new TokenSampler(config, mask).next(logits, random);
  }

  private static GenerationConfig sampling(int topK, double topP, long seed) {
    return new GenerationConfig(8, true, 0.8, topK, topP, 1, List.of(), seed, true);
  }

  private static boolean[] everyOther(int rows, boolean firstAllowed) {
    boolean[] allowed = new boolean[rows];
    for (int r = 0; r < rows; r++) allowed[r] = (r % 2 == 0) == firstAllowed;
    return allowed;
  }

  @Test
  void aSampleIsAlwaysAnAllowedRowWithinTheTopK() {
    qt().forAll(
            logits(-20f, 20f, 2, 40),
            integers().between(0, 5),
            doubles().between(0.05, 1.0),
            longs().all())
        .checkAssert(
            (logits, topK, topP, seed) -> {
              boolean[] allowed = everyOther(logits.length, true);
              int chosen =
                  choose(
                      logits,
                      allowed,
                      sampling(topK, topP, seed),
                      TokenSampler.randomFor(seed, 0, 0));
              if (!allowed[chosen]) throw new AssertionError("row " + chosen + " is not allowed");
              if (topK > 0) {
                int better = 0;
                for (int r = 0; r < logits.length; r++) {
                  if (allowed[r] && logits[r] > logits[chosen]) better++;
                }
                if (better >= topK) {
                  throw new AssertionError("row " + chosen + " is outside the top " + topK);
                }
              }
            });
  }

  @Test
  void topKOfOneAndATinyTopPAreGreedy() {
    qt().forAll(logits(-20f, 20f, 1, 40), longs().all())
        .checkAssert(
            (logits, seed) -> {
              int greedy =
                  choose(
                      logits,
                      null,
                      GenerationConfig.greedy(1, List.of()),
                      TokenSampler.randomFor(0, 0, 0));
              int k1 =
                  choose(logits, null, sampling(1, 1.0, seed), TokenSampler.randomFor(seed, 1, 2));
              int p0 =
                  choose(logits, null, sampling(0, 1e-9, seed), TokenSampler.randomFor(seed, 1, 2));
              if (k1 != greedy || p0 != greedy) {
                throw new AssertionError(
                    "greedy " + greedy + ", top-k 1 " + k1 + ", top-p ~0 " + p0);
              }
            });
  }

  @Test
  void theSameSeedPromptAndSampleGiveTheSameChoice() {
    qt().forAll(
            logits(-5f, 5f, 2, 40),
            longs().all(),
            integers().between(0, 100),
            integers().between(0, 100))
        .checkAssert(
            (logits, seed, prompt, sample) -> {
              GenerationConfig config = sampling(0, 0.9, seed);
              int a = choose(logits, null, config, TokenSampler.randomFor(seed, prompt, sample));
              int b = choose(logits, null, config, TokenSampler.randomFor(seed, prompt, sample));
              if (a != b) throw new AssertionError(a + " != " + b);
            });
  }

  /**
   * The same choice written the slow, obvious way: rank every allowed row, cut top-k, weigh, cut
   * the nucleus from the full ranking, draw walking the kept rows in ascending row order.
   */
  private static int naiveChoice(
      float[] logits,
      boolean[] allowed,
      GenerationConfig config,
      java.util.SplittableRandom random) {
    List<Integer> ranked = new java.util.ArrayList<>();
    for (int r = 0; r < logits.length; r++) if (allowed == null || allowed[r]) ranked.add(r);
    List<Integer> byRank = new java.util.ArrayList<>(ranked);
    byRank.sort((a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
    List<Integer> candidates =
        config.topK() > 0 && config.topK() < ranked.size()
            ? byRank.subList(0, config.topK()).stream().sorted().toList()
            : ranked;
    double max = Double.NEGATIVE_INFINITY;
    for (int r : candidates) max = Math.max(max, logits[r]);
    java.util.Map<Integer, Double> weight = new java.util.HashMap<>();
    double sum = 0;
    for (int r : candidates) {
      double w = Math.exp((logits[r] - max) / config.temperature());
      weight.put(r, w);
      sum += w;
    }
    List<Integer> walk = candidates;
    if (config.topP() < 1) {
      List<Integer> sorted = new java.util.ArrayList<>(candidates);
      sorted.sort((a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
      double cumulative = 0;
      int cut = sorted.size();
      for (int j = 0; j < sorted.size(); j++) {
        cumulative += weight.get(sorted.get(j));
        if (cumulative >= config.topP() * sum) {
          cut = j + 1;
          break;
        }
      }
      java.util.Set<Integer> nucleus = new java.util.HashSet<>(sorted.subList(0, cut));
      walk = candidates.stream().filter(nucleus::contains).toList();
      sum = 0;
      for (int r : walk) sum += weight.get(r);
    }
    double u = random.nextDouble() * sum;
    for (int r : walk) {
      u -= weight.get(r);
      if (u < 0) return r;
    }
    return walk.get(walk.size() - 1);
  }

  @Test
  void theFastChoiceEqualsTheObviousOne() {
    qt().forAll(
            logits(-8f, 8f, 1, 300),
            integers().between(0, 20),
            doubles().between(0.01, 1.0),
            longs().all())
        .checkAssert(
            (logits, topK, topP, seed) -> {
              // coarse logits so that ties occur
              for (int i = 0; i < logits.length; i++) logits[i] = Math.round(logits[i] * 2) / 2f;
              boolean[] allowed = seed % 3 == 0 ? null : everyOther(logits.length, true);
              GenerationConfig config =
                  new GenerationConfig(8, true, 0.7, topK, topP, 1, List.of(), seed, true);
              int fast = choose(logits, allowed, config, TokenSampler.randomFor(seed, 3, 4));
              int slow = naiveChoice(logits, allowed, config, TokenSampler.randomFor(seed, 3, 4));
              if (fast != slow) throw new AssertionError("fast " + fast + " != obvious " + slow);
            });
  }
}

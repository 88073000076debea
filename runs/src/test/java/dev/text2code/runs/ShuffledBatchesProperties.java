package dev.text2code.runs;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.text2code.api.Modality;
import dev.text2code.api.objective.TrainingExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batches over few rows span many epochs (issue 20: a 2-row corpus crashed the first batch); every
 * epoch must still visit each row once, in its own seeded permutation, whatever order batches are
 * asked for in.
 */
class ShuffledBatchesProperties {
  private static List<TrainingExample> rows(int n) {
    List<TrainingExample> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          TrainingExample.causal(
              new int[] {i, i}, new int[] {i, i}, new byte[] {Modality.CODE.code(), 0}));
    }
    return rows;
  }

  /** A plain Fisher-Yates over (seed, epoch), written out here without any caching. */
  private static int[] reference(int n, long seed, long epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static int[] indices(List<TrainingExample> batch, Map<TrainingExample, Integer> index) {
    return batch.stream().mapToInt(index::get).toArray();
  }

  @Test
  void everyEpochVisitsEveryRowOnceInItsPermutationsOrder() {
    qt().forAll(integers().between(1, 40), integers().between(1, 64), integers().between(0, 60))
        .check(
            (n, batchSize, steps) -> {
              List<TrainingExample> rows = rows(n);
              Map<TrainingExample, Integer> index = new IdentityHashMap<>();
              for (int i = 0; i < n; i++) index.put(rows.get(i), i);
              ShuffledBatches batches = new ShuffledBatches(rows, batchSize, 7);
              List<Integer> seen = new ArrayList<>();
              for (long s = 0; s <= steps; s++) {
                for (int i : indices(batches.batch(s), index)) seen.add(i);
              }
              for (int e = 0; (e + 1) * n <= seen.size(); e++) {
                int[] epoch =
                    seen.subList(e * n, (e + 1) * n).stream().mapToInt(Integer::intValue).toArray();
                if (!Arrays.equals(epoch, reference(n, 7, e))) return false;
                int[] sorted = epoch.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < n; i++) if (sorted[i] != i) return false;
              }
              return seen.size() == (steps + 1) * batchSize;
            });
  }

  @Test
  void aBatchIsTheSameWhenAskedForOutOfOrder() {
    qt().forAll(
            integers().between(1, 12),
            integers().between(1, 64),
            longs().between(0, 10_000),
            longs().between(0, 10_000))
        .check(
            (n, batchSize, step, other) -> {
              List<TrainingExample> rows = rows(n);
              Map<TrainingExample, Integer> index = new IdentityHashMap<>();
              for (int i = 0; i < n; i++) index.put(rows.get(i), i);
              ShuffledBatches batches = new ShuffledBatches(rows, batchSize, 3);
              int[] first = indices(batches.batch(step), index);
              indices(batches.batch(other), index);
              indices(batches.batch(0), index);
              int[] again = indices(batches.batch(step), index);
              int[] fresh = indices(new ShuffledBatches(rows, batchSize, 3).batch(step), index);
              for (int j = 0; j < batchSize; j++) {
                long i = step * batchSize + j;
                if (first[j] != reference(n, 3, i / n)[(int) (i % n)]) return false;
              }
              return Arrays.equals(first, again) && Arrays.equals(first, fresh);
            });
  }
}

package dev.text2code.runs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.api.training.BatchSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Batches over a fixed set of rows: the rows are read epoch after epoch, each epoch in its own
 * permutation seeded by (seed, epoch), so batch {@code s} is the same whenever it is asked for.
 */
public final class ShuffledBatches implements BatchSource {
  private final List<TrainingExample> rows;
  private final int batchSize;
  private final long seed;
  private static final int CACHED_EPOCHS = 4;
  private final Map<Long, int[]> permutations = new HashMap<>();

  public ShuffledBatches(List<TrainingExample> rows, int batchSize, long seed) {
    if (rows.isEmpty()) {
      throw new ConfigurationException(
          "the prepared training data has no rows; give a larger corpus or a larger model.context");
    }
    // kept as given: the prepared rows are a lazy memory-mapped view, read only when batched
    this.rows = java.util.Collections.unmodifiableList(rows);
    this.batchSize = batchSize;
    this.seed = seed;
  }

  @Override
  public List<TrainingExample> batch(long step) {
    List<TrainingExample> batch = new ArrayList<>(batchSize);
    for (long i = step * batchSize; i < (step + 1) * batchSize; i++) {
      long epoch = i / rows.size();
      int within = (int) (i % rows.size());
      batch.add(rows.get(permutation(epoch)[within]));
    }
    return batch;
  }

  /**
   * The permutation of one epoch. A batch spans consecutive epochs, so the last few are kept; the
   * cache is pruned before a new permutation is computed, never while the map is being updated.
   */
  private int[] permutation(long epoch) {
    int[] cached = permutations.get(epoch);
    if (cached != null) return cached;
    if (permutations.size() >= CACHED_EPOCHS) permutations.clear();
    int[] p = permutation(rows.size(), seed, epoch);
    permutations.put(epoch, p);
    return p;
  }

  /** The Fisher-Yates permutation of {@code 0..size-1} for (seed, epoch). */
  static int[] permutation(int size, long seed, long epoch) {
    int[] p = new int[size];
    for (int i = 0; i < p.length; i++) p[i] = i;
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = p.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

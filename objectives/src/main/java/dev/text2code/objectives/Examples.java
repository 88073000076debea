package dev.text2code.objectives;

import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import java.util.function.IntPredicate;

/** Builders shared by the objectives: shifted labels and the modality of each label. */
public final class Examples {
  private Examples() {}

  /**
   * A single-segment example over {@code ids}: {@code labels[i] = ids[i + 1]} where {@code
   * targetHasLoss.test(i + 1)}, {@link TrainingExample#IGNORE} elsewhere (and always at the last
   * position, which has no next token). Position ids run 0..n-1.
   *
   * @param modalities modality code of every token of {@code ids}; the target modality of position
   *     {@code i} is that of token {@code i + 1}
   */
  public static TrainingExample shifted(
      int[] ids, byte[] modalities, IntPredicate targetHasLoss, int prefixLength) {
    int n = ids.length;
    int[] labels = new int[n];
    byte[] targetModalities = new byte[n];
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) {
      positions[i] = i;
      int target = i + 1;
      if (target < n && targetHasLoss.test(target)) {
        labels[i] = ids[target];
        targetModalities[i] = modalities[target];
      } else {
        labels[i] = TrainingExample.IGNORE;
      }
    }
    return TrainingExample.of(
        ids, labels, targetModalities, positions, AttentionSpec.prefix(n, prefixLength));
  }

  /**
   * {@link #shifted} with loss on every target at or after {@code firstLabelledTarget}: the common
   * case, without a per-position predicate call.
   */
  public static TrainingExample shiftedFrom(
      int[] ids, byte[] modalities, int firstLabelledTarget, int prefixLength) {
    int n = ids.length;
    int[] labels = new int[n];
    byte[] targetModalities = new byte[n];
    int[] positions = new int[n];
    int first = Math.max(firstLabelledTarget, 1) - 1;
    java.util.Arrays.fill(labels, 0, Math.min(first, n), TrainingExample.IGNORE);
    for (int i = 0; i < n; i++) positions[i] = i;
    if (n > first + 1) {
      System.arraycopy(ids, first + 1, labels, first, n - 1 - first);
      System.arraycopy(modalities, first + 1, targetModalities, first, n - 1 - first);
    }
    if (n > 0) labels[n - 1] = TrainingExample.IGNORE;
    if (n > 0) targetModalities[n - 1] = 0;
    return TrainingExample.of(
        ids, labels, targetModalities, positions, AttentionSpec.prefix(n, prefixLength));
  }

  /** Modality codes of {@code n} tokens, all {@code code}. */
  public static byte[] filled(int n, byte code) {
    byte[] m = new byte[n];
    java.util.Arrays.fill(m, code);
    return m;
  }
}

package dev.text2code.api.objective;

import dev.text2code.api.Modality;
import java.util.Arrays;

/**
 * One training row: what the model reads, what it must predict at each position, which positions it
 * may attend to, the position ids, and the modality of every target (which output vocabulary the
 * position is normalised over under embedding separation).
 *
 * <p>{@code labels[i]} is the target at position {@code i} (already shifted: the token that follows
 * input {@code i}), or {@link #IGNORE} where there is no loss. Arrays are copied in and out.
 */
public final class TrainingExample {
  /** Label value for positions without loss, as in PyTorch's cross entropy. */
  public static final int IGNORE = -100;

  private final int[] inputIds;
  private final int[] labels;
  private final byte[] targetModalities;
  private final int[] positionIds;
  private final AttentionSpec attention;

  private TrainingExample(
      int[] inputIds,
      int[] labels,
      byte[] targetModalities,
      int[] positionIds,
      AttentionSpec attention) {
    this.inputIds = inputIds;
    this.labels = labels;
    this.targetModalities = targetModalities;
    this.positionIds = positionIds;
    this.attention = attention;
  }

  /**
   * Validates and copies.
   *
   * @param targetModalities per position, the {@link Modality#code()} of the label's token (0 where
   *     ignored)
   */
  public static TrainingExample of(
      int[] inputIds,
      int[] labels,
      byte[] targetModalities,
      int[] positionIds,
      AttentionSpec attention) {
    int n = inputIds.length;
    check("labels", labels.length, n);
    check("targetModalities", targetModalities.length, n);
    check("positionIds", positionIds.length, n);
    check("attention", attention.length(), n);
    for (int i = 0; i < n; i++) {
      if (inputIds[i] < 0) {
        throw new IllegalArgumentException(
            "inputIds[" + i + "] = " + inputIds[i] + "; ids are non-negative");
      }
      if (labels[i] < 0 && labels[i] != IGNORE) {
        throw new IllegalArgumentException(
            "labels["
                + i
                + "] = "
                + labels[i]
                + "; expected a non-negative id or IGNORE ("
                + IGNORE
                + ")");
      }
      if (targetModalities[i] != 0 && targetModalities[i] != 1) {
        throw new IllegalArgumentException(
            "targetModalities["
                + i
                + "] = "
                + targetModalities[i]
                + "; expected 0 (TEXT) or 1 (CODE)");
      }
      if (positionIds[i] < 0) {
        throw new IllegalArgumentException(
            "positionIds[" + i + "] = " + positionIds[i] + "; expected >= 0");
      }
    }
    return new TrainingExample(
        inputIds.clone(), labels.clone(), targetModalities.clone(), positionIds.clone(), attention);
  }

  /** Causal example with positions 0..n-1. */
  public static TrainingExample causal(int[] inputIds, int[] labels, byte[] targetModalities) {
    int[] positions = new int[inputIds.length];
    for (int i = 0; i < positions.length; i++) positions[i] = i;
    return of(inputIds, labels, targetModalities, positions, AttentionSpec.causal(inputIds.length));
  }

  private static void check(String name, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          name + " has length " + actual + " but inputIds has " + expected + "; all must be equal");
    }
  }

  public int length() {
    return inputIds.length;
  }

  public int[] inputIds() {
    return inputIds.clone();
  }

  public int[] labels() {
    return labels.clone();
  }

  public byte[] targetModalities() {
    return targetModalities.clone();
  }

  public int[] positionIds() {
    return positionIds.clone();
  }

  public AttentionSpec attention() {
    return attention;
  }

  public int inputId(int i) {
    return inputIds[i];
  }

  public int label(int i) {
    return labels[i];
  }

  public Modality targetModality(int i) {
    return Modality.ofCode(targetModalities[i]);
  }

  /** Number of positions with a loss. */
  public int labelledCount() {
    int c = 0;
    for (int l : labels) if (l != IGNORE) c++;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingExample other
        && Arrays.equals(inputIds, other.inputIds)
        && Arrays.equals(labels, other.labels)
        && Arrays.equals(targetModalities, other.targetModalities)
        && Arrays.equals(positionIds, other.positionIds)
        && attention.equals(other.attention);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(inputIds);
    h = 31 * h + Arrays.hashCode(labels);
    h = 31 * h + Arrays.hashCode(targetModalities);
    h = 31 * h + Arrays.hashCode(positionIds);
    return 31 * h + attention.hashCode();
  }

  @Override
  public String toString() {
    return "TrainingExample{inputIds="
        + Arrays.toString(inputIds)
        + ", labels="
        + Arrays.toString(labels)
        + ", targetModalities="
        + Arrays.toString(targetModalities)
        + ", positionIds="
        + Arrays.toString(positionIds)
        + ", attention="
        + attention
        + "}";
  }
}

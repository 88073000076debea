package dev.text2code.api.objective;

import dev.text2code.api.Modality;
import dev.text2code.api.internal.FastArrays;
import java.util.Arrays;

/**
 * One training row: what the model reads, what it must predict at each position, which positions it
 * may attend to, the position ids, and the modality of every target (which output vocabulary the
 * position is normalised over under embedding separation).
 *
 * <p>{@code labels[i]} is the target at position {@code i} (already shifted: the token that follows
 * input {@code i}), or {@link #IGNORE} where there is no loss. Immutable: {@link #of} copies the
 * arrays it is given, {@link #builder} keeps arrays nobody else holds, and accessors return copies.
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
    // Copy first, then check the copies: the caller cannot change a value after its check.
    int[] ids = inputIds.clone();
    int[] labelsCopy = labels.clone();
    byte[] modalities = targetModalities.clone();
    int[] positions = positionIds.clone();
    for (int i = 0; i < n; i++) {
      int label = labelsCopy[i];
      // One branch per position; the message names the first bad value.
      if ((ids[i] | positions[i]) < 0 | (modalities[i] & ~1) != 0 | (label < 0 & label != IGNORE)) {
        throw invalidPosition(ids, labelsCopy, modalities, positions, i);
      }
    }
    return new TrainingExample(ids, labelsCopy, modalities, positions, attention);
  }

  private static IllegalArgumentException invalidPosition(
      int[] inputIds, int[] labels, byte[] targetModalities, int[] positionIds, int i) {
    if (inputIds[i] < 0) return negativeId(i, inputIds[i]);
    if (labels[i] < 0 && labels[i] != IGNORE) {
      return new IllegalArgumentException(
          "labels["
              + i
              + "] = "
              + labels[i]
              + "; expected a non-negative id or IGNORE ("
              + IGNORE
              + ")");
    }
    if (targetModalities[i] != 0 && targetModalities[i] != 1) {
      return new IllegalArgumentException(
          "targetModalities["
              + i
              + "] = "
              + targetModalities[i]
              + "; expected 0 (TEXT) or 1 (CODE)");
    }
    return new IllegalArgumentException(
        "positionIds[" + i + "] = " + positionIds[i] + "; expected >= 0");
  }

  private static IllegalArgumentException negativeId(int i, int id) {
    return new IllegalArgumentException("inputIds[" + i + "] = " + id + "; ids are non-negative");
  }

  /**
   * A builder for the usual next-token row, token by token: {@link Builder#nextToken} derives the
   * shifted labels, target modalities and positions. The builder owns its arrays and hands them to
   * the example without the copies {@link #of} makes, so an objective that assembles a fresh row
   * pays for each array once; nothing the caller holds can change the example afterwards.
   *
   * @param expectedLength the row length the caller expects (a hint: the builder grows as needed,
   *     and an exact hint saves a final trim)
   */
  public static Builder builder(int expectedLength) {
    return new Builder(expectedLength);
  }

  /** Collects the tokens of one row and their modality codes; builds once. */
  public static final class Builder {
    /** No token yet, so no common modality either. */
    private static final int NO_MODALITY = -1;

    private int[] ids;
    // Null while every token so far has the modality code sharedModality: a row of one modality
    // (most code documents) then records its modalities in O(1) per run instead of per token.
    private byte[] modalities;
    private int sharedModality = NO_MODALITY;
    private int size;
    private boolean built;

    private Builder(int expectedLength) {
      if (expectedLength < 0) {
        throw new IllegalArgumentException(
            "expectedLength = " + expectedLength + "; expected >= 0");
      }
      ids = new int[expectedLength];
    }

    /** Appends one token with its {@link Modality#code()}. */
    public Builder add(int id, byte modalityCode) {
      ensure(1);
      modalityRun(1, modalityCode);
      ids[size++] = id;
      return this;
    }

    /** Appends {@code source[from, to)}, every token with the same modality code. */
    public Builder addAll(int[] source, int from, int to, byte modalityCode) {
      int count = to - from;
      if (count == 0) return this;
      ensure(count);
      System.arraycopy(source, from, ids, size, count);
      modalityRun(count, modalityCode);
      size += count;
      return this;
    }

    /**
     * Appends {@code source[from, to)} with the modality codes {@code sourceModalities[from, to)}.
     */
    public Builder addAll(int[] source, byte[] sourceModalities, int from, int to) {
      int count = to - from;
      if (count == 0) return this;
      ensure(count);
      System.arraycopy(source, from, ids, size, count);
      if (modalities == null) materializeModalities();
      System.arraycopy(sourceModalities, from, modalities, size, count);
      size += count;
      return this;
    }

    /** Records the modality of the next {@code count} tokens (at {@code size}). */
    private void modalityRun(int count, byte code) {
      if (modalities == null) {
        if (sharedModality == NO_MODALITY || sharedModality == code) {
          sharedModality = code;
          return;
        }
        materializeModalities();
      }
      Arrays.fill(modalities, size, size + count, code);
    }

    private void materializeModalities() {
      modalities = new byte[ids.length];
      if (sharedModality != NO_MODALITY) Arrays.fill(modalities, 0, size, (byte) sharedModality);
    }

    /** Tokens added so far. */
    public int size() {
      return size;
    }

    /**
     * The example over the tokens added: {@code labels[i] = ids[i + 1]} (target modality that of
     * token {@code i + 1}) for every target {@code i + 1 >= firstLabelledTarget}, {@link #IGNORE}
     * elsewhere and at the last position; positions {@code 0..n-1}; one segment whose first {@code
     * prefixLength} positions see each other. The builder cannot be used afterwards.
     *
     * @throws IllegalArgumentException for a negative id, a modality code other than 0 or 1, or
     *     {@code firstLabelledTarget} or {@code prefixLength} outside {@code [0, n]}
     */
    public TrainingExample nextToken(int firstLabelledTarget, int prefixLength) {
      checkOpen();
      int n = size;
      if (firstLabelledTarget < 0 || firstLabelledTarget > n) {
        throw new IllegalArgumentException(
            "firstLabelledTarget = "
                + firstLabelledTarget
                + "; expected a value in [0, "
                + n
                + "]");
      }
      AttentionSpec attention = AttentionSpec.prefix(n, prefixLength);
      built = true;
      int[] inputIds = n == ids.length ? ids : Arrays.copyOf(ids, n);
      byte[] codes = modalities;
      ids = null;
      modalities = null;
      boolean codesValid =
          codes == null ? (sharedModality & ~1) == 0 || n == 0 : FastArrays.zeroOrOne(codes, n);
      if (!FastArrays.nonNegative(inputIds) || !codesValid) {
        throw invalidToken(inputIds, codes == null ? shared(n, sharedModality) : codes);
      }
      // Position i predicts token i + 1: the first labelled position is firstLabelledTarget - 1.
      // Copying into fresh arrays spares the JIT zeroing them first.
      int first = Math.max(firstLabelledTarget, 1) - 1;
      int[] labels = n == 0 ? new int[0] : Arrays.copyOfRange(inputIds, 1, n + 1);
      Arrays.fill(labels, 0, Math.min(first, n), IGNORE);
      byte[] targetModalities;
      if (codes == null) {
        targetModalities = new byte[n];
        if (n > first + 1) Arrays.fill(targetModalities, first, n - 1, (byte) sharedModality);
      } else {
        // The modality codes are shifted in place into the target modalities.
        targetModalities = codes.length == n ? codes : Arrays.copyOf(codes, n);
        if (n > first + 1) {
          System.arraycopy(targetModalities, first + 1, targetModalities, first, n - 1 - first);
        }
        Arrays.fill(targetModalities, 0, Math.min(first, n), (byte) 0);
        if (n > 0) targetModalities[n - 1] = 0;
      }
      if (n > 0) labels[n - 1] = IGNORE;
      int[] positionIds = FastArrays.positions(n);
      return new TrainingExample(inputIds, labels, targetModalities, positionIds, attention);
    }

    private static byte[] shared(int n, int code) {
      byte[] codes = new byte[n];
      Arrays.fill(codes, (byte) code);
      return codes;
    }

    private static IllegalArgumentException invalidToken(int[] ids, byte[] modalities) {
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] < 0) return negativeId(i, ids[i]);
        if (modalities[i] != 0 && modalities[i] != 1) {
          return new IllegalArgumentException(
              "modality code of token "
                  + i
                  + " = "
                  + modalities[i]
                  + "; expected 0 (TEXT) or 1 (CODE)");
        }
      }
      throw new AssertionError("no invalid token");
    }

    private void ensure(int extra) {
      checkOpen();
      if (size + extra > ids.length) {
        int capacity = Math.max(ids.length * 2, size + extra);
        ids = Arrays.copyOf(ids, capacity);
        if (modalities != null) modalities = Arrays.copyOf(modalities, capacity);
      }
    }

    private void checkOpen() {
      if (built) {
        throw new IllegalStateException(
            "this builder has already built its example; start a new one with"
                + " TrainingExample.builder");
      }
    }
  }

  /** Causal example with positions 0..n-1. */
  public static TrainingExample causal(int[] inputIds, int[] labels, byte[] targetModalities) {
    int[] positions = FastArrays.positions(inputIds.length);
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

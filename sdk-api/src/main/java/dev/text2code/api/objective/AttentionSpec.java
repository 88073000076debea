package dev.text2code.api.objective;

import java.util.Arrays;
import java.util.Objects;

/**
 * Which positions each position may attend to, in a compact form every backend can expand.
 *
 * <p>A row holds one or more segments (packed examples, padding is a segment of its own). A query
 * at position {@code q} sees key {@code k} iff both lie in the same segment and either {@code k <=
 * q} (causal) or both lie in the segment's prefix, the first {@code prefixLengths[segment]}
 * positions of the segment (bidirectional square). A prefix length of 0 means plain causal
 * attention.
 */
public final class AttentionSpec {
  private final int length;
  // Null for a single segment (every position in segment 0): the common unpacked example then
  // costs no per-position array.
  private final int[] segmentIds;
  private final int[] segmentStarts;
  private final int[] prefixLengths;

  private AttentionSpec(int length, int[] segmentIds, int[] segmentStarts, int[] prefixLengths) {
    this.length = length;
    this.segmentIds = segmentIds;
    this.segmentStarts = segmentStarts;
    this.prefixLengths = prefixLengths;
  }

  /** Causal attention over one segment of {@code length} positions. */
  public static AttentionSpec causal(int length) {
    return prefix(length, 0);
  }

  /** One segment whose first {@code prefixLength} positions see each other, causal after that. */
  public static AttentionSpec prefix(int length, int prefixLength) {
    if (prefixLength < 0 || prefixLength > length) {
      throw new IllegalArgumentException(
          "prefixLength = " + prefixLength + "; expected a value in [0, " + length + "]");
    }
    return new AttentionSpec(length, null, new int[] {0}, new int[] {prefixLength});
  }

  /**
   * Several segments.
   *
   * @param segmentIds per position, non-decreasing and contiguous from 0 (0,0,1,1,1,2,...)
   * @param prefixLengths per segment, each within its segment's length
   */
  public static AttentionSpec segments(int[] segmentIds, int[] prefixLengths) {
    int segments = prefixLengths.length;
    int[] starts = new int[segments];
    int[] lengths = new int[segments];
    int previous = segmentIds.length == 0 ? -1 : 0;
    if (segmentIds.length > 0 && segmentIds[0] != 0) {
      throw new IllegalArgumentException(
          "segmentIds[0] = " + segmentIds[0] + "; segments are numbered from 0");
    }
    for (int i = 0; i < segmentIds.length; i++) {
      int s = segmentIds[i];
      if (s != previous && s != previous + 1) {
        throw new IllegalArgumentException(
            "segmentIds["
                + i
                + "] = "
                + s
                + " after "
                + previous
                + "; segment ids must be contiguous and increasing");
      }
      if (s >= segments) {
        throw new IllegalArgumentException(
            "segmentIds["
                + i
                + "] = "
                + s
                + " but only "
                + segments
                + " prefix lengths were given");
      }
      if (s != previous) starts[s] = i;
      lengths[s]++;
      previous = s;
    }
    if (segmentIds.length > 0 && previous != segments - 1) {
      throw new IllegalArgumentException(
          segments + " prefix lengths given but the row has " + (previous + 1) + " segments");
    }
    for (int s = 0; s < segments; s++) {
      if (prefixLengths[s] < 0 || prefixLengths[s] > lengths[s]) {
        throw new IllegalArgumentException(
            "prefixLengths["
                + s
                + "] = "
                + prefixLengths[s]
                + "; expected a value in [0, "
                + lengths[s]
                + "]");
      }
    }
    return new AttentionSpec(segmentIds.length, segmentIds.clone(), starts, prefixLengths.clone());
  }

  public int length() {
    return length;
  }

  public int segmentCount() {
    return prefixLengths.length;
  }

  public int segmentOf(int position) {
    if (segmentIds == null) {
      Objects.checkIndex(position, length);
      return 0;
    }
    return segmentIds[position];
  }

  public int segmentStart(int segment) {
    return segmentStarts[segment];
  }

  public int prefixLength(int segment) {
    return prefixLengths[segment];
  }

  /** A copy of the per-position segment ids. */
  public int[] segmentIds() {
    return segmentIds == null ? new int[length] : segmentIds.clone();
  }

  /** A copy of the per-segment prefix lengths. */
  public int[] prefixLengths() {
    return prefixLengths.clone();
  }

  /** Whether the query position may attend to the key position. */
  public boolean canAttend(int query, int key) {
    int s = segmentOf(query);
    if (segmentOf(key) != s) return false;
    if (key <= query) return true;
    int prefixEnd = segmentStarts[s] + prefixLengths[s];
    return key < prefixEnd && query < prefixEnd;
  }

  /** The dense mask, {@code [query][key]}; O(n^2), for backends and tests. */
  public boolean[][] toDenseMask() {
    int n = length;
    boolean[][] mask = new boolean[n][n];
    for (int q = 0; q < n; q++) {
      for (int k = 0; k < n; k++) {
        mask[q][k] = canAttend(q, k);
      }
    }
    return mask;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttentionSpec other
        && length == other.length
        && Arrays.equals(prefixLengths, other.prefixLengths)
        && (segmentIds == null
            || other.segmentIds == null
            || Arrays.equals(segmentIds, other.segmentIds));
  }

  @Override
  public int hashCode() {
    // Arrays.hashCode of the per-position ids, computed without materialising them.
    int h = 1;
    for (int i = 0; i < length; i++) h = 31 * h + (segmentIds == null ? 0 : segmentIds[i]);
    return 31 * h + Arrays.hashCode(prefixLengths);
  }

  @Override
  public String toString() {
    return "AttentionSpec{segmentIds="
        + Arrays.toString(segmentIds())
        + ", prefixLengths="
        + Arrays.toString(prefixLengths)
        + "}";
  }
}

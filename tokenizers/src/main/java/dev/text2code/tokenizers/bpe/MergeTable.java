package dev.text2code.tokenizers.bpe;

import java.util.Arrays;

/**
 * Merge rules keyed by the pair of symbol ids, in an open-addressing table of primitive longs so
 * the encoder's inner loop allocates nothing.
 */
final class MergeTable {
  private static final long EMPTY = -1L;
  private final long[] keys;
  private final long[] values;
  private final int mask;

  MergeTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new long[capacity];
    Arrays.fill(keys, EMPTY);
    mask = capacity - 1;
  }

  static long pair(int left, int right) {
    return ((long) left << 32) | (right & 0xffffffffL);
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** Adds a rule; an earlier rule for the same pair wins (lower rank). */
  void put(int left, int right, int rank, int merged) {
    long key = pair(left, right);
    int i = slot(key, mask);
    while (keys[i] != EMPTY) {
      if (keys[i] == key) return;
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = ((long) rank << 32) | (merged & 0xffffffffL);
  }

  /** (rank << 32 | merged id) of the rule for the pair, or -1 when there is none. */
  long get(int left, int right) {
    long key = pair(left, right);
    int i = slot(key, mask);
    while (true) {
      long k = keys[i];
      if (k == key) return values[i];
      if (k == EMPTY) return -1L;
      i = (i + 1) & mask;
    }
  }
}

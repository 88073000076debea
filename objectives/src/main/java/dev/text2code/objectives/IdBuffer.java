package dev.text2code.objectives;

import java.util.Arrays;

/**
 * A growable list of token ids with their modality codes, for objectives that rebuild a sequence.
 */
public final class IdBuffer {
  private int[] ids;
  private byte[] modalities;
  private int size;

  public IdBuffer(int capacity) {
    ids = new int[Math.max(capacity, 8)];
    modalities = new byte[ids.length];
  }

  public IdBuffer add(int id, byte modality) {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      modalities = Arrays.copyOf(modalities, size * 2);
    }
    ids[size] = id;
    modalities[size++] = modality;
    return this;
  }

  public IdBuffer addAll(int[] source, int from, int to, byte modality) {
    int count = to - from;
    ensure(count);
    System.arraycopy(source, from, ids, size, count);
    Arrays.fill(modalities, size, size + count, modality);
    size += count;
    return this;
  }

  public IdBuffer addAll(int[] source, byte[] sourceModalities, int from, int to) {
    int count = to - from;
    ensure(count);
    System.arraycopy(source, from, ids, size, count);
    System.arraycopy(sourceModalities, from, modalities, size, count);
    size += count;
    return this;
  }

  private void ensure(int extra) {
    if (size + extra > ids.length) {
      int capacity = Math.max(ids.length * 2, size + extra);
      ids = Arrays.copyOf(ids, capacity);
      modalities = Arrays.copyOf(modalities, capacity);
    }
  }

  public int size() {
    return size;
  }

  public int[] ids() {
    return Arrays.copyOf(ids, size);
  }

  public byte[] modalities() {
    return Arrays.copyOf(modalities, size);
  }
}

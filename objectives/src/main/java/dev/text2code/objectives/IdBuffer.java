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
    for (int i = from; i < to; i++) add(source[i], modality);
    return this;
  }

  public IdBuffer addAll(int[] source, byte[] sourceModalities, int from, int to) {
    for (int i = from; i < to; i++) add(source[i], sourceModalities[i]);
    return this;
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

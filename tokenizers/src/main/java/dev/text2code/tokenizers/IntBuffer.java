package dev.text2code.tokenizers;

import java.util.Arrays;

/** A growable int array for collecting ids without boxing. */
public final class IntBuffer {
  private int[] items = new int[64];
  private int size;

  public void add(int v) {
    if (size == items.length) items = Arrays.copyOf(items, size * 2);
    items[size++] = v;
  }

  public void addAll(int[] values) {
    if (size + values.length > items.length) {
      items = Arrays.copyOf(items, Math.max(items.length * 2, size + values.length));
    }
    System.arraycopy(values, 0, items, size, values.length);
    size += values.length;
  }

  public int[] toArray() {
    return Arrays.copyOf(items, size);
  }
}

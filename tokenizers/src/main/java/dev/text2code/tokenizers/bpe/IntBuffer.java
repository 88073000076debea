package dev.text2code.tokenizers.bpe;

import java.util.Arrays;

/** A growable int array for collecting ids without boxing. */
final class IntBuffer {
  private int[] items = new int[64];
  private int size;

  void add(int v) {
    if (size == items.length) items = Arrays.copyOf(items, size * 2);
    items[size++] = v;
  }

  void addAll(int[] values) {
    if (size + values.length > items.length) {
      items = Arrays.copyOf(items, Math.max(items.length * 2, size + values.length));
    }
    System.arraycopy(values, 0, items, size, values.length);
    size += values.length;
  }

  int[] toArray() {
    return Arrays.copyOf(items, size);
  }
}

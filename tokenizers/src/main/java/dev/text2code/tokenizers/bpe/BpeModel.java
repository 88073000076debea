package dev.text2code.tokenizers.bpe;

import dev.text2code.tokenizers.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE model of a byte-level tokenizer: applies merges, lowest rank first and leftmost among
 * equal ranks (the order Hugging Face's encoder uses), to the bytes of one pre-token.
 */
final class BpeModel {
  private static final int CACHE_LIMIT = 100_000;
  private final Map<String, Integer> vocabulary;
  private final MergeTable merges;
  private final int[] byteIds = new int[256];
  private final boolean ignoreMerges;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  BpeModel(Map<String, Integer> vocabulary, MergeTable merges, boolean ignoreMerges) {
    this.vocabulary = vocabulary;
    this.merges = merges;
    this.ignoreMerges = ignoreMerges;
    for (int b = 0; b < 256; b++) {
      Integer id = vocabulary.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
      byteIds[b] = id == null ? -1 : id;
    }
  }

  /** Appends the ids of one pre-token (ordinary text, not yet byte-mapped). */
  void encode(String piece, IntBuffer out) {
    int[] cached = cache.get(piece);
    if (cached == null) {
      cached = merge(piece);
      if (cache.size() < CACHE_LIMIT) cache.put(piece, cached);
    }
    out.addAll(cached);
  }

  private int[] merge(String piece) {
    byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
    if (ignoreMerges) {
      Integer whole = vocabulary.get(ByteLevelAlphabet.spell(bytes));
      if (whole != null) return new int[] {whole};
    }
    int n = 0;
    int[] ids = new int[bytes.length];
    for (byte b : bytes) {
      int id = byteIds[b & 0xff];
      if (id >= 0) ids[n++] = id; // a byte missing from the vocabulary is dropped, as HF does
    }
    if (n <= 1) return Arrays.copyOf(ids, n);
    int[] next = new int[n];
    int[] prev = new int[n];
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    // Min-heap of (rank << 32 | position); stale entries are skipped when popped.
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i + 1 < n; i++) {
      long rule = merges.get(ids[i], ids[i + 1]);
      if (rule >= 0) heap.push((rule & 0xffffffff00000000L) | i);
    }
    int alive = n;
    while (!heap.isEmpty()) {
      long top = heap.pop();
      int pos = (int) top;
      int rank = (int) (top >>> 32);
      if (ids[pos] < 0) continue;
      int right = next[pos];
      if (right < 0) continue;
      long rule = merges.get(ids[pos], ids[right]);
      if (rule < 0 || (int) (rule >>> 32) != rank) continue;
      ids[pos] = (int) rule;
      ids[right] = -1;
      int after = next[right];
      next[pos] = after;
      if (after >= 0) prev[after] = pos;
      alive--;
      int before = prev[pos];
      if (before >= 0) {
        long r = merges.get(ids[before], ids[pos]);
        if (r >= 0) heap.push((r & 0xffffffff00000000L) | before);
      }
      if (after >= 0) {
        long r = merges.get(ids[pos], ids[after]);
        if (r >= 0) heap.push((r & 0xffffffff00000000L) | pos);
      }
    }
    int[] result = new int[alive];
    int k = 0;
    for (int i = 0; i >= 0; i = next[i]) {
      result[k++] = ids[i];
    }
    return result;
  }

  /** A growable min-heap of longs. */
  private static final class LongHeap {
    private long[] items;
    private int size;

    LongHeap(int capacity) {
      items = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(long v) {
      if (size == items.length) items = Arrays.copyOf(items, size * 2);
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (items[parent] <= v) break;
        items[i] = items[parent];
        i = parent;
      }
      items[i] = v;
    }

    long pop() {
      long top = items[0];
      long last = items[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && items[child + 1] < items[child]) child++;
        if (items[child] >= last) break;
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
      return top;
    }
  }
}

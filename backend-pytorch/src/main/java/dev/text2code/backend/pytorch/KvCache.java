package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the positions already processed, per layer, {@code [B, H, T, D]}. Each call of
 * {@link GptModel#hiddenWithCache} writes the new positions into a buffer allocated once for {@code
 * capacity} positions (grown by doubling if a call passes it) and reads a view of the filled part,
 * so a generation does not allocate and free a growing cache at every step. The buffers outlive the
 * {@link NDScope} of the step that made them; {@link #close()} releases them.
 */
public final class KvCache implements AutoCloseable {
  private final NDArray[][] buffers;
  private long capacity;
  private long length;

  /**
   * @param capacity positions to allocate for at the first write (more are made room for by
   *     doubling)
   */
  public KvCache(int layers, long capacity) {
    if (capacity < 1)
      throw new IllegalArgumentException("capacity " + capacity + "; expected >= 1");
    this.buffers = new NDArray[layers][2];
    this.capacity = capacity;
  }

  /** A cache that starts with room for 64 positions. */
  public KvCache(int layers) {
    this(layers, 64);
  }

  /** Positions held. */
  public long length() {
    return length;
  }

  /** Writes {@code fresh} ({@code [B, H, S, D]}) after the held positions; returns all of them. */
  NDArray append(int layer, int kind, NDArray fresh) {
    Shape shape = fresh.getShape();
    long end = length + shape.get(2);
    NDArray buffer = buffers[layer][kind];
    if (buffer == null || end > buffer.getShape().get(2)) {
      long room = Math.max(end, buffer == null ? capacity : 2 * buffer.getShape().get(2));
      NDArray grown =
          fresh.getManager().zeros(new Shape(shape.get(0), shape.get(1), room, shape.get(3)));
      NDScope.unregister(grown);
      if (buffer != null && length > 0) {
        grown.set(positions(0, length), buffer.get(positions(0, length)));
      }
      if (buffer != null) buffer.close();
      buffer = grown;
      buffers[layer][kind] = buffer;
    }
    buffer.set(positions(length, end), fresh);
    return buffer.get(positions(0, end));
  }

  /**
   * {@code [:, :, from:to]}, built without parsing an index string (this runs per layer and step).
   */
  private static NDIndex positions(long from, long to) {
    return new NDIndex().addAllDim(2).addSliceDim(from, to);
  }

  void advance(long positions) {
    length += positions;
  }

  @Override
  public void close() {
    for (NDArray[] layer : buffers) {
      for (int i = 0; i < layer.length; i++) {
        if (layer[i] != null) layer[i].close();
        layer[i] = null;
      }
    }
    length = 0;
  }
}

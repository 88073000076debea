package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of the positions already processed, per layer, {@code [B, H, T, D]}. Each call of
 * {@link GptModel#hiddenWithCache} appends the new positions. The cached arrays outlive the {@link
 * NDScope} of the step that made them; {@link #close()} releases them.
 */
public final class KvCache implements AutoCloseable {
  private final NDArray[][] entries;
  private long length;

  public KvCache(int layers) {
    this.entries = new NDArray[layers][2];
  }

  /** Positions held. */
  public long length() {
    return length;
  }

  NDArray append(int layer, int kind, NDArray fresh) {
    NDArray old = entries[layer][kind];
    NDArray joined = old == null ? fresh : old.concat(fresh, 2);
    NDScope.unregister(joined);
    entries[layer][kind] = joined;
    if (old != null) old.close();
    return joined;
  }

  void advance(long positions) {
    length += positions;
  }

  @Override
  public void close() {
    for (NDArray[] layer : entries) {
      for (int i = 0; i < layer.length; i++) {
        if (layer[i] != null) layer[i].close();
        layer[i] = null;
      }
    }
    length = 0;
  }
}

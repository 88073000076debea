package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.generation.DecodeBatch;
import dev.text2code.api.generation.DecoderStep;
import dev.text2code.api.generation.GenerationLoop;
import java.nio.file.Path;

/**
 * The PyTorch decoder step under {@link GenerationLoop}: a left-padded batch runs through {@link
 * GptModel} with a {@link KvCache} preallocated for the batch's budget, or, opened without a cache,
 * recomputes every position at every step (kept for parity tests and benchmarks).
 */
public final class PyTorchStep implements DecoderStep {
  /** Rows (prompt × sample) decoded together. */
  public static final int MAX_BATCH_ROWS = 32;

  private static final NDIndex LAST_POSITION = new NDIndex(":, -1, :");

  private final ModelSpec spec;
  private final MappedRouter router;
  private final NDManager manager;
  private final GptModel model;
  private final boolean kvCache;
  private final int cachedLayers; // the trunk's layers, plus PanGu-α's top query layer
  private final int lastPosition; // learned tables end at the context; rotary positions do not
  private boolean closed;

  private PyTorchStep(Checkpoint checkpoint, Device device, boolean kvCache) {
    this.spec = checkpoint.spec();
    this.router = checkpoint.router();
    this.kvCache = kvCache;
    this.cachedLayers = spec.layers() + (spec.architecture().topQueryLayer() ? 1 : 0);
    this.lastPosition =
        spec.architecture().positions().kind() == Architecture.PositionKind.LEARNED
            ? spec.contextLength() - 1
            : Integer.MAX_VALUE;
    this.manager = Devices.threadsFor(spec).newBaseManager(Devices.resolve(device));
    try {
      this.model = GptModel.load(spec, checkpoint.weights(), manager, false);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Opens a checkpoint directory with a KV cache. */
  public static PyTorchStep open(Path checkpoint, Device device) {
    return new PyTorchStep(Checkpoint.read(checkpoint), device, true);
  }

  /**
   * Opens an in-memory checkpoint.
   *
   * @param kvCache false recomputes every position at every step (slow; for parity checks)
   */
  public static PyTorchStep of(Checkpoint checkpoint, Device device, boolean kvCache) {
    return new PyTorchStep(checkpoint, device, kvCache);
  }

  /** A generator over a checkpoint directory, with a KV cache. */
  public static GenerationLoop generator(Path checkpoint, Device device) {
    return new GenerationLoop(open(checkpoint, device));
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public MappedRouter router() {
    return router;
  }

  @Override
  public int maxBatchRows() {
    return MAX_BATCH_ROWS;
  }

  @Override
  public DecodeBatch prefill(int[][] rows, int[] prefixLengths, int capacity) {
    if (closed) throw new IllegalStateException("this pytorch generator is closed");
    Batch batch = new Batch(rows, prefixLengths, capacity);
    try {
      batch.run(null);
      return batch;
    } catch (RuntimeException e) {
      batch.close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    manager.close();
  }

  private final class Batch implements DecodeBatch {
    final int size;
    final int longest;
    final int[] padding;
    final int[] prefixLength;
    final boolean padded;
    final int[][] history; // per row: prompt rows then fed rows (for the cache-less path)
    final KvCache cache;
    int keys; // positions held, padding included
    float[] logits;

    Batch(int[][] rows, int[] prefixLengths, int capacity) {
      size = rows.length;
      int max = 0;
      for (int[] r : rows) max = Math.max(max, r.length);
      longest = max;
      padding = new int[size];
      history = new int[size][];
      boolean any = false;
      for (int r = 0; r < size; r++) {
        padding[r] = longest - rows[r].length;
        any |= padding[r] > 0;
        history[r] = java.util.Arrays.copyOf(rows[r], Math.max(rows[r].length, 8));
      }
      padded = any;
      prefixLength = prefixLengths.clone();
      cache = new KvCache(cachedLayers, Math.max(capacity, longest));
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public float[] logits() {
      return logits;
    }

    @Override
    public void step(int[] next) {
      if (next.length != size) {
        throw new IllegalArgumentException(next.length + " rows fed to a batch of " + size);
      }
      run(next);
    }

    /** The prompts (next == null) or one new row per batch row. */
    void run(int[] next) {
      if (next != null) {
        for (int r = 0; r < size; r++) {
          int index = keys - padding[r];
          if (index >= history[r].length) {
            history[r] = java.util.Arrays.copyOf(history[r], 2 * history[r].length);
          }
          history[r][index] = next[r];
        }
        keys++;
      } else {
        keys = longest;
      }
      NDManager m = model.manager();
      try (NDScope scope = new NDScope()) {
        NDArray hidden;
        if (kvCache && next != null) {
          long[] ids = new long[size];
          long[] positions = new long[size];
          for (int r = 0; r < size; r++) {
            ids[r] = next[r];
            positions[r] = Math.min(keys - 1 - padding[r], lastPosition);
          }
          NDArray bias =
              padded
                  ? m.create(
                      AttentionMasks.paddedCausalBias(padding, 1, keys),
                      new Shape(size, 1, 1, keys))
                  : null;
          hidden =
              model.hiddenWithCache(
                  m.create(ids, new Shape(size, 1)),
                  m.create(positions, new Shape(size, 1)),
                  bias,
                  cache);
        } else {
          long[] ids = new long[size * keys];
          long[] positions = new long[size * keys];
          for (int r = 0; r < size; r++) {
            for (int t = padding[r]; t < keys; t++) {
              ids[r * keys + t] = history[r][t - padding[r]];
              positions[r * keys + t] = Math.min(t - padding[r], lastPosition);
            }
          }
          NDArray idArray = m.create(ids, new Shape(size, keys));
          NDArray positionArray = m.create(positions, new Shape(size, keys));
          NDArray bias =
              m.create(
                  AttentionMasks.paddedPrefixBias(padding, prefixLength, keys, keys),
                  new Shape(size, 1, keys, keys));
          hidden =
              kvCache
                  ? model.hiddenWithCache(idArray, positionArray, bias, cache)
                  : model.hidden(idArray, positionArray, bias, false);
        }
        long positions = hidden.getShape().get(1);
        NDArray last = positions == 1 ? hidden : hidden.get(LAST_POSITION);
        logits = model.logits(last).toFloatArray();
      }
    }

    @Override
    public void close() {
      cache.close();
    }
  }
}

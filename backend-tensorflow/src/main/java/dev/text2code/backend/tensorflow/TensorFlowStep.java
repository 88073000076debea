package dev.text2code.backend.tensorflow;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.generation.DecodeBatch;
import dev.text2code.api.generation.DecoderStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Generation with a key/value cache: one graph runs the padded prompts (empty cache) and then one
 * new position per step, taking the previous keys and values as input and returning them extended.
 * The weights are fed to placeholders from native tensors made once (as graph constants, a
 * GPT-2-small model's 0.5 GB of weights were copied into the graph definition, the session and its
 * constant-folding passes, and generation peaked at 8.6 GB RSS); the cache tensors stay native
 * between steps. The cache grows by concatenation inside the graph ({@link TransformerGraph});
 * {@link dev.text2code.api.generation.GenerationLoop} drives the steps.
 */
final class TensorFlowStep implements DecoderStep {
  /** Rows (prompt × sample) decoded together. */
  static final int MAX_BATCH_ROWS = 32;

  private final ModelSpec spec;
  private final MappedRouter router;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt32> ids;
  private final Placeholder<TInt32> positions;
  private final Placeholder<TInt32> keyPositions;
  private final Placeholder<TFloat32> mask;
  private final Placeholder<TFloat32> pastKeys;
  private final Placeholder<TFloat32> pastValues;
  private final Placeholder<TInt32> lastIndex;
  private final List<Placeholder<TFloat32>> weightInputs = new ArrayList<>();
  private final List<TFloat32> weightTensors = new ArrayList<>();
  private final Operand<TFloat32> lastLogits;
  private final Operand<TFloat32> keys;
  private final Operand<TFloat32> values;
  private final boolean useCache;
  private boolean closed;

  TensorFlowStep(Checkpoint checkpoint, Device device) {
    this(checkpoint, device, true);
  }

  /**
   * @param useCache false re-runs every whole sequence at each step (for benchmarks and tests)
   */
  TensorFlowStep(Checkpoint checkpoint, Device device, boolean useCache) {
    this.useCache = useCache;
    this.spec = checkpoint.spec();
    this.router = checkpoint.router();
    var sessionConfig = Devices.configFor(device);
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> weights = new LinkedHashMap<>();
      for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
        Tensor t = checkpoint.weights().get(p.name());
        Placeholder<TFloat32> input =
            tf.withName("weight_" + p.name())
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(p.shape())));
        weightInputs.add(input);
        weightTensors.add(
            TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(t.data(), true, false)));
        weights.put(p.name(), input);
      }
      ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      positions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      keyPositions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      mask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1)));
      Shape cacheShape =
          Shape.of(TransformerGraph.cacheLayers(spec), -1, spec.kvHeads(), -1, spec.headSize());
      pastKeys = tf.placeholder(TFloat32.class, Placeholder.shape(cacheShape));
      pastValues = tf.placeholder(TFloat32.class, Placeholder.shape(cacheShape));
      lastIndex = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      TransformerGraph model = new TransformerGraph(tf, spec, weights, Optional.empty());
      TransformerGraph.Output out =
          model.forward(
              ids,
              positions,
              Optional.of(keyPositions),
              mask,
              Optional.of(new TransformerGraph.Cache(pastKeys, pastValues)),
              false);
      Operand<TInt32> rows = tf.gather(tf.shape(ids), tf.constant(0), tf.constant(0));
      Operand<TFloat32> byRow =
          tf.reshape(
              out.hidden(), tf.stack(List.of(rows, tf.constant(-1), tf.constant(spec.width()))));
      Operand<TFloat32> last = tf.gather(byRow, lastIndex, tf.constant(1));
      // a top query layer returns final hidden states; otherwise ln_f runs on the last row only
      lastLogits = model.logits(spec.architecture().topQueryLayer() ? last : model.finalNorm(last));
      keys = out.cache().orElseThrow().keys();
      values = out.cache().orElseThrow().values();
      session = new Session(graph, sessionConfig);
    } catch (RuntimeException e) {
      for (TFloat32 t : weightTensors) t.close();
      graph.close();
      throw e;
    }
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
    if (closed) throw new IllegalStateException("this TensorFlow generator is closed");
    Batch batch = new Batch(rows, prefixLengths);
    batch.state = runWhole(batch);
    return batch;
  }

  /** Rows decoded together; the cache tensors of the last run stay native between steps. */
  private final class Batch implements DecodeBatch {
    final int size;
    final int[][] history; // per row: prompt rows then fed rows
    final int[] lengths;
    final int[] prefixEnd;
    final int[] padding;
    int cached; // cache positions, padding included
    Result state;

    Batch(int[][] rows, int[] prefixLengths) {
      size = rows.length;
      history = new int[size][];
      lengths = new int[size];
      for (int b = 0; b < size; b++) {
        history[b] = Arrays.copyOf(rows[b], Math.max(8, rows[b].length));
        lengths[b] = rows[b].length;
      }
      prefixEnd = prefixLengths.clone();
      cached = Arrays.stream(lengths).max().orElseThrow();
      padding = new int[size];
      for (int b = 0; b < size; b++) padding[b] = cached - lengths[b];
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public float[] logits() {
      float[] logits = new float[size * spec.embeddingRows()];
      ((TFloat32) state.get(0)).copyTo(DataBuffers.of(logits, false, false));
      return logits;
    }

    @Override
    public void step(int[] next) {
      if (next.length != size) {
        throw new IllegalArgumentException(next.length + " rows fed to a batch of " + size);
      }
      int[] nextPositions = new int[size];
      for (int b = 0; b < size; b++) {
        if (lengths[b] == history[b].length) {
          history[b] = Arrays.copyOf(history[b], 2 * history[b].length);
        }
        history[b][lengths[b]] = next[b];
        nextPositions[b] = Math.min(lengths[b], spec.contextLength() - 1);
        lengths[b]++;
      }
      Result previous = state;
      try {
        if (!useCache) {
          state = runWhole(this);
          return;
        }
        float[] stepMask = new float[size * (cached + 1)];
        int[] stepKeyPositions = new int[size * (cached + 1)];
        for (int b = 0; b < size; b++) {
          for (int k = padding[b]; k <= cached; k++) {
            stepMask[b * (cached + 1) + k] = 1f;
            stepKeyPositions[b * (cached + 1) + k] =
                Math.min(k - padding[b], spec.contextLength() - 1);
          }
        }
        try (Inputs in = new Inputs()) {
          state =
              run(
                  in,
                  in.ints(Shape.of(size, 1), next),
                  in.ints(Shape.of(size, 1), nextPositions),
                  in.ints(Shape.of(size, cached + 1), stepKeyPositions),
                  in.floats(Shape.of(size, 1, cached + 1), stepMask),
                  (TFloat32) previous.get(1),
                  (TFloat32) previous.get(2),
                  0);
        }
        cached++;
      } finally {
        previous.close();
      }
    }

    @Override
    public void close() {
      if (state != null) state.close();
      state = null;
    }
  }

  /**
   * Runs every row's whole sequence (prompt and rows fed so far), left-padded to the longest, with
   * an empty cache; returns the last position's logits and the filled cache.
   */
  private Result runWhole(Batch rows) {
    int batch = rows.size;
    int width = Arrays.stream(rows.lengths).max().orElseThrow();
    int[] ids = new int[batch * width];
    int[] positions = new int[batch * width];
    float[] mask = new float[batch * width * width];
    for (int b = 0; b < batch; b++) {
      int padding = width - rows.lengths[b];
      int prefixEnd = rows.prefixEnd[b];
      for (int q = 0; q < width; q++) {
        int i = b * width + q;
        int base = i * width;
        if (q < padding) {
          mask[base + q] = 1f; // padding sees itself only; its output is never used
          continue;
        }
        ids[i] = rows.history[b][q - padding];
        positions[i] = Math.min(q - padding, spec.contextLength() - 1);
        for (int k = padding; k < width; k++) {
          boolean visible = k <= q || (k - padding < prefixEnd && q - padding < prefixEnd);
          mask[base + k] = visible ? 1f : 0f;
        }
      }
    }
    try (Inputs in = new Inputs()) {
      Shape empty =
          Shape.of(TransformerGraph.cacheLayers(spec), batch, spec.kvHeads(), 0, spec.headSize());
      return run(
          in,
          in.ints(Shape.of(batch, width), ids),
          in.ints(Shape.of(batch, width), positions),
          in.ints(Shape.of(batch, width), positions),
          in.floats(Shape.of(batch, width, width), mask),
          in.floats(empty, new float[0]),
          in.floats(empty, new float[0]),
          width - 1);
    }
  }

  private Result run(
      Inputs in,
      TInt32 stepIds,
      TInt32 stepPositions,
      TInt32 stepKeyPositions,
      TFloat32 stepMask,
      TFloat32 keysIn,
      TFloat32 valuesIn,
      int last) {
    Session.Runner runner = session.runner();
    for (int i = 0; i < weightInputs.size(); i++) {
      runner.feed(weightInputs.get(i), weightTensors.get(i));
    }
    return runner
        .feed(ids, stepIds)
        .feed(positions, stepPositions)
        .feed(keyPositions, stepKeyPositions)
        .feed(mask, stepMask)
        .feed(pastKeys, keysIn)
        .feed(pastValues, valuesIn)
        .feed(lastIndex, in.scalar(last))
        .fetch(lastLogits)
        .fetch(keys)
        .fetch(values)
        .run();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    session.close();
    graph.close();
    for (TFloat32 t : weightTensors) t.close();
  }
}

package dev.text2code.backend.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.backend.Device;
import dev.text2code.api.objective.AttentionSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exported decoder loaded into ONNX Runtime: one forward call over new positions with an
 * optional key/value cache (the graph interface of {@link OnnxExporter}). Not thread-safe.
 */
public final class OnnxDecoder implements AutoCloseable {
  private final Path file;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final OnnxModelInfo info;
  private final boolean cuda;
  private boolean closed;

  private OnnxDecoder(
      Path file, OrtEnvironment environment, OrtSession session, OnnxModelInfo info, boolean cuda) {
    this.file = file;
    this.environment = environment;
    this.session = session;
    this.info = info;
    this.cuda = cuda;
  }

  /**
   * Loads an exported model.
   *
   * @throws CheckpointException naming the file when it is missing, corrupt or not a text2code
   *     export
   * @throws BackendUnavailableException when ONNX Runtime cannot load, or {@code device} is GPU and
   *     this ONNX Runtime has no CUDA provider
   */
  public static OnnxDecoder open(Path onnxFile, Device device) {
    return open(onnxFile, device, 0);
  }

  /**
   * Loads an exported model with a set number of intra-op threads (0: ONNX Runtime's default, one
   * per physical core).
   */
  public static OnnxDecoder open(Path onnxFile, Device device, int intraOpThreads) {
    return onNativeThreadUnchecked(() -> openHere(onnxFile, device, intraOpThreads));
  }

  private static OnnxDecoder openHere(Path onnxFile, Device device, int intraOpThreads) {
    return open(onnxFile, device, intraOpThreads, true);
  }

  /**
   * @param optimize false runs the graph exactly as exported (no fusions), as another runtime would
   */
  static OnnxDecoder open(Path onnxFile, Device device, int intraOpThreads, boolean optimize) {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads = " + intraOpThreads + "; expected >= 0");
    }
    Path file = onnxFile.toAbsolutePath();
    try {
      if (!Files.isRegularFile(file)) {
        throw new CheckpointException("ONNX model " + file + " does not exist");
      }
      if (Files.size(file) == 0) {
        throw new CheckpointException("ONNX model " + file + " is empty (0 bytes)");
      }
    } catch (IOException e) {
      throw new CheckpointException("cannot read ONNX model " + file + ": " + e, e);
    }
    OrtEnvironment environment = environment();
    boolean cuda = useCuda(device);
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(
          optimize
              ? OrtSession.SessionOptions.OptLevel.ALL_OPT
              : OrtSession.SessionOptions.OptLevel.NO_OPT);
      if (intraOpThreads > 0) options.setIntraOpNumThreads(intraOpThreads);
      // generation steps are short: spinning worker threads only steal the CPU from the caller
      // (and from other processes on a shared machine) between them
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      if (cuda) {
        try {
          options.addCUDA(0);
        } catch (OrtException e) {
          if (device == Device.GPU) {
            throw new BackendUnavailableException(
                "device gpu: ONNX Runtime's CUDA provider did not start (" + e.getMessage() + ")",
                e);
          }
          cuda = false; // auto: the CPU it is
        }
      }
      session = createSession(environment, file, options);
    } catch (OrtException e) {
      throw new CheckpointException(
          "cannot load ONNX model "
              + file
              + " (corrupt, truncated or not an ONNX file?): "
              + e.getMessage(),
          e);
    }
    try {
      OnnxModelInfo info =
          OnnxModelInfo.fromMetadata(
              session.getMetadata().getCustomMetadata(), "ONNX model " + file);
      return new OnnxDecoder(file, environment, session, info, cuda);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      if (e instanceof Text2CodeException t) throw t;
      throw new CheckpointException("cannot read metadata of ONNX model " + file + ": " + e, e);
    }
  }

  /** Stack of the thread that makes every ONNX Runtime call. */
  private static final long NATIVE_STACK_BYTES = 64L << 20;

  /**
   * Every call into ONNX Runtime (session creation and each run) happens on this one thread with a
   * large stack. On the JVM's default 1 MiB thread stack, ONNX Runtime 1.29 overflowed the calling
   * thread's stack while running a 4-layer, width-128 decoder, and the whole process died with
   * SIGSEGV (no Java error, no hs_err file); with a 2 MiB stack it ran. One shared thread also
   * keeps the runtime's per-thread state in one place.
   */
  private static final java.util.concurrent.ExecutorService NATIVE =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          task -> {
            Thread t = new Thread(null, task, "onnx-runtime", NATIVE_STACK_BYTES);
            t.setDaemon(true);
            nativeThread = t;
            return t;
          });

  private static volatile Thread nativeThread;

  /**
   * Runs {@code call} on the ONNX Runtime thread (directly when already on it), rethrowing what it
   * throws.
   */
  static <T> T onNativeThread(java.util.concurrent.Callable<T> call) throws OrtException {
    if (Thread.currentThread() == nativeThread) {
      try {
        return call.call();
      } catch (OrtException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new Text2CodeException("ONNX Runtime call failed: " + e, e);
      }
    }
    java.util.concurrent.Future<T> future = NATIVE.submit(call);
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new Text2CodeException("interrupted while waiting for ONNX Runtime", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof OrtException o) throw o;
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw new Text2CodeException("ONNX Runtime call failed: " + cause, cause);
    }
  }

  /** {@link #onNativeThread} for calls that throw no checked exception. */
  static <T> T onNativeThreadUnchecked(java.util.concurrent.Callable<T> call) {
    try {
      return onNativeThread(call);
    } catch (OrtException e) {
      throw new Text2CodeException("ONNX Runtime call failed: " + e.getMessage(), e);
    }
  }

  private static OrtSession createSession(
      OrtEnvironment environment, Path file, OrtSession.SessionOptions options)
      throws OrtException {
    return onNativeThread(() -> environment.createSession(file.toString(), options));
  }

  static OrtEnvironment environment() {
    try {
      return OrtEnvironment.getEnvironment();
    } catch (LinkageError | RuntimeException e) {
      throw new BackendUnavailableException(
          "backend onnx: cannot load the ONNX Runtime native library (" + e + ")", e);
    }
  }

  private static boolean useCuda(Device device) {
    EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
    boolean available = providers.contains(OrtProvider.CUDA);
    if (device == Device.GPU && !available) {
      throw new BackendUnavailableException(
          "device gpu: this ONNX Runtime build has no CUDA execution provider (available: "
              + providers
              + "); put com.microsoft.onnxruntime:onnxruntime_gpu on the class path instead of"
              + " onnxruntime, or use device cpu");
    }
    return device != Device.CPU && available;
  }

  public OnnxModelInfo info() {
    return info;
  }

  public Path file() {
    return file;
  }

  /** Whether the session runs on the CUDA provider. */
  public boolean onGpu() {
    return cuda;
  }

  /**
   * Logits of every position of one row without a cache ({@code [position][row]}), unrestricted.
   */
  public float[][] logits(int[] inputIds, int[] positionIds, AttentionSpec attention) {
    return onNativeThreadUnchecked(() -> logitsHere(inputIds, positionIds, attention));
  }

  private float[][] logitsHere(int[] inputIds, int[] positionIds, AttentionSpec attention) {
    int n = inputIds.length;
    boolean[] mask = new boolean[n * n];
    for (int q = 0; q < n; q++) {
      for (int k = 0; k < n; k++) mask[q * n + k] = attention.canAttend(q, k);
    }
    try (Step step = run(toLong(inputIds), toLong(positionIds), mask, 1, n, null, 0, false)) {
      float[] flat = step.logits();
      int rows = info.spec().embeddingRows();
      float[][] out = new float[n][rows];
      for (int t = 0; t < n; t++) System.arraycopy(flat, t * rows, out[t], 0, rows);
      return out;
    }
  }

  /**
   * Logits {@code [batch * kept * rows]} of one call without a cache.
   *
   * @param inputIds [batch * sequence] routed rows
   * @param positionIds [batch * sequence]
   * @param mask [batch * sequence * sequence], true where a position may attend a key
   * @param logitsToKeep last positions to score; 0 for all
   * @param restrictToCode set rows outside the code vocabulary to -1e9
   */
  public float[] forward(
      long[] inputIds,
      long[] positionIds,
      boolean[] mask,
      int batch,
      int sequence,
      int logitsToKeep,
      boolean restrictToCode) {
    try (Step step =
        run(inputIds, positionIds, mask, batch, sequence, null, logitsToKeep, restrictToCode)) {
      return step.logits();
    }
  }

  /**
   * One forward call.
   *
   * @param inputIds [batch * sequence] routed rows
   * @param positionIds [batch * sequence]
   * @param mask [batch * sequence * (past + sequence)]
   * @param past the previous step's cache, or null for none
   * @param logitsToKeep last positions to score; 0 for all
   */
  Step run(
      long[] inputIds,
      long[] positionIds,
      boolean[] mask,
      int batch,
      int sequence,
      Step past,
      int logitsToKeep,
      boolean restrictToCode) {
    if (closed) throw new IllegalStateException("the ONNX decoder of " + file + " is closed");
    int layers = OnnxExporter.cacheLayers(info.spec());
    int pastLength = past == null ? 0 : past.totalLength;
    int total = pastLength + sequence;
    Map<String, OnnxTensor> inputs = new HashMap<>();
    Map<String, OnnxTensor> owned = new HashMap<>();
    try {
      long[] shape = {batch, sequence};
      owned.put(
          "input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape));
      owned.put(
          "position_ids",
          OnnxTensor.createTensor(environment, LongBuffer.wrap(positionIds), shape));
      owned.put(
          "attention_mask",
          OnnxTensor.createTensor(
              environment, bools(mask), new long[] {batch, sequence, total}, OnnxJavaType.BOOL));
      owned.put(
          "logits_to_keep",
          OnnxTensor.createTensor(
              environment, LongBuffer.wrap(new long[] {logitsToKeep}), new long[] {1}));
      owned.put(
          "restrict_to_code",
          OnnxTensor.createTensor(
              environment,
              bools(new boolean[] {restrictToCode}),
              new long[] {1},
              OnnxJavaType.BOOL));
      inputs.putAll(owned);
      for (int i = 0; i < layers; i++) {
        if (past == null) {
          long[] emptyShape = {
            batch, OnnxExporter.cacheHeads(info.spec(), i), 0, info.spec().headSize()
          };
          OnnxTensor emptyKey =
              OnnxTensor.createTensor(environment, FloatBuffer.allocate(0), emptyShape);
          owned.put("past_key." + i, emptyKey);
          OnnxTensor emptyValue =
              OnnxTensor.createTensor(environment, FloatBuffer.allocate(0), emptyShape);
          owned.put("past_value." + i, emptyValue);
          inputs.put("past_key." + i, emptyKey);
          inputs.put("past_value." + i, emptyValue);
        } else {
          inputs.put("past_key." + i, past.tensor("present_key." + i));
          inputs.put("past_value." + i, past.tensor("present_value." + i));
        }
      }
      OrtSession.Result result = onNativeThread(() -> session.run(inputs));
      return new Step(result, total);
    } catch (OrtException e) {
      throw new Text2CodeException("ONNX Runtime failed on " + file + ": " + e.getMessage(), e);
    } finally {
      owned.values().forEach(OnnxTensor::close);
    }
  }

  private static ByteBuffer bools(boolean[] values) {
    ByteBuffer b = ByteBuffer.allocateDirect(values.length).order(ByteOrder.nativeOrder());
    for (boolean v : values) b.put((byte) (v ? 1 : 0));
    b.rewind();
    return b;
  }

  private static long[] toLong(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // nothing left to release
    }
  }

  /** Row {@code row} of the cache of {@code source}. */
  record CacheRow(Step source, int row) {}

  /**
   * A cache made of rows of other steps' caches, in the given order, each right-aligned in {@code
   * total} positions (left-padded with zeros, which the attention mask must then hide). This is how
   * finished samples leave a batch and new prompts join it. The logits are not kept.
   */
  Step assemble(List<CacheRow> rows, int total) {
    int layers = OnnxExporter.cacheLayers(info.spec());
    int headSize = info.spec().headSize();
    Map<String, OnnxTensor> tensors = new HashMap<>();
    try {
      for (int i = 0; i < layers; i++) {
        int heads = OnnxExporter.cacheHeads(info.spec(), i);
        for (String name : new String[] {"present_key." + i, "present_value." + i}) {
          FloatBuffer target =
              ByteBuffer.allocateDirect(rows.size() * heads * total * headSize * 4)
                  .order(ByteOrder.nativeOrder())
                  .asFloatBuffer();
          Map<Step, FloatBuffer> sources = new IdentityHashMap<>();
          for (int j = 0; j < rows.size(); j++) {
            Step from = rows.get(j).source();
            int length = from.totalLength;
            if (length > total) {
              throw new IllegalArgumentException(
                  "a cache of " + length + " positions does not fit in " + total);
            }
            FloatBuffer source =
                sources.computeIfAbsent(from, s -> s.tensor(name).getFloatBuffer());
            for (int h = 0; h < heads; h++) {
              int from0 = ((rows.get(j).row() * heads + h) * length) * headSize;
              FloatBuffer slice = source.duplicate();
              slice.position(from0).limit(from0 + length * headSize);
              target.position(((j * heads + h) * total + total - length) * headSize);
              target.put(slice);
            }
          }
          target.rewind();
          tensors.put(
              name,
              OnnxTensor.createTensor(
                  environment, target, new long[] {rows.size(), heads, total, headSize}));
        }
      }
      return new Step(tensors, total);
    } catch (OrtException e) {
      tensors.values().forEach(OnnxTensor::close);
      throw new Text2CodeException("ONNX Runtime failed on " + file + ": " + e.getMessage(), e);
    }
  }

  /** The outputs of one call: logits and the cache for the next call. Close to free them. */
  static final class Step implements AutoCloseable {
    private final OrtSession.Result result;
    private final Map<String, OnnxTensor> tensors;
    final int totalLength;

    Step(OrtSession.Result result, int totalLength) {
      this.result = result;
      this.tensors = Map.of();
      this.totalLength = totalLength;
    }

    Step(Map<String, OnnxTensor> tensors, int totalLength) {
      this.result = null;
      this.tensors = tensors;
      this.totalLength = totalLength;
    }

    /** Logits [batch * kept * rows]. */
    float[] logits() {
      FloatBuffer buffer = tensor("logits").getFloatBuffer();
      float[] out = new float[buffer.remaining()];
      buffer.get(out);
      return out;
    }

    OnnxTensor tensor(String name) {
      if (result == null) {
        OnnxTensor t = tensors.get(name);
        if (t == null) throw new IllegalStateException("this step holds no " + name);
        return t;
      }
      return (OnnxTensor)
          result
              .get(name)
              .orElseThrow(() -> new IllegalStateException("the model has no output " + name));
    }

    @Override
    public void close() {
      if (result != null) result.close();
      tensors.values().forEach(OnnxTensor::close);
    }
  }
}

package dev.text2code.backend.pytorch;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.Placement;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Loads the PyTorch engine on first use and maps a configured {@link Device} to a DJL device. */
public final class Devices {
  static final String ENGINE = "PyTorch";

  private Devices() {}

  /** System properties DJL reads for libtorch's intra-op and inter-op thread pools. */
  static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";

  static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

  /** Whether the user set {@link #INTRA_OP_THREADS} (then {@link #threadsFor} leaves it alone). */
  private static volatile Boolean userThreads;

  /**
   * Models with at least this many parameters get one intra-op thread per core ({@link
   * #threadsFor}): from GPT-2-small's size (124 M) on, the matrix products are large enough for a
   * second thread to pay (2 cores: generation at batch 8 70 -> 86 tokens/s, training 65 -> 98).
   */
  static final long MANY_THREADS_FROM_PARAMETERS = 50_000_000L;

  /**
   * The PyTorch engine, loading libtorch on first call. Unless the user set them, libtorch gets one
   * intra-op and one inter-op thread: for the small models this SDK trains on CPUs, libtorch's
   * default pools (one thread per core each) oversubscribe the cores, and on 2 cores training ran
   * 13x and generation 50x slower (BackendBench). Large models get more intra-op threads when they
   * are opened ({@link #threadsFor}); set the two properties to choose yourself.
   */
  public static Engine engine() {
    if (userThreads == null) {
      synchronized (Devices.class) {
        if (userThreads == null) userThreads = System.getProperty(INTRA_OP_THREADS) != null;
      }
    }
    if (System.getProperty(INTRA_OP_THREADS) == null) System.setProperty(INTRA_OP_THREADS, "1");
    if (System.getProperty(INTER_OP_THREADS) == null) System.setProperty(INTER_OP_THREADS, "1");
    try {
      Engine engine = Engine.getEngine(ENGINE);
      if (engine == null) throw new BackendUnavailableException("DJL found no PyTorch engine");
      return engine;
    } catch (EngineException | IllegalArgumentException e) {
      throw new BackendUnavailableException(
          "backend pytorch cannot load libtorch: "
              + e.getMessage()
              + " (is ai.djl.pytorch:pytorch-native-cpu on the class path, or PYTORCH_LIBRARY_PATH set"
              + " for the gpu profile, and DJL_CACHE_DIR writable?)",
          e);
    }
  }

  /**
   * Loads the engine and sizes libtorch's intra-op pool for a model about to run on the CPU: one
   * thread below {@link #MANY_THREADS_FROM_PARAMETERS} parameters, one per available core from
   * there on, unless the user set {@code ai.djl.pytorch.num_threads}. The pool is process-wide: the
   * model opened last decides.
   */
  static Engine threadsFor(ModelSpec spec) {
    Engine engine = engine();
    if (!userThreads) {
      int threads =
          spec.parameterCount() >= MANY_THREADS_FROM_PARAMETERS
              ? Runtime.getRuntime().availableProcessors()
              : 1;
      if (JniUtils.getNumThreads() != threads) JniUtils.setNumThreads(threads);
    }
    return engine;
  }

  /** Resolves {@code cpu}, {@code gpu} or {@code auto} to a device; {@code gpu} fails clearly. */
  public static ai.djl.Device resolve(Device device) {
    return resolve(Placement.of(device));
  }

  /**
   * Resolves {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}; a GPU that is not there fails
   * clearly, naming how many there are.
   */
  public static ai.djl.Device resolve(Placement placement) {
    return replicas(placement, 1).get(0);
  }

  /**
   * The devices of {@code replicas} data-parallel replicas: all on the CPU for {@code cpu} (for
   * tests; the CPU gains nothing from it), consecutive GPUs from {@code gpu:N} (or 0) for {@code
   * gpu}, one per visible GPU for {@code replicas = 0}. Fails before any work when a GPU is
   * missing.
   */
  public static List<ai.djl.Device> replicas(Placement placement, int replicas) {
    if (replicas < 0) {
      throw new ConfigurationException(
          "training.data-parallel = " + replicas + " is not valid; expected >= 0");
    }
    boolean gpu =
        placement.device() == Device.GPU || (placement.device() == Device.AUTO && gpuCount() > 0);
    List<ai.djl.Device> out = new ArrayList<>();
    if (!gpu) {
      if (replicas == 0) {
        throw new ConfigurationException(
            "training.data-parallel = 0 means one replica per GPU, but device = "
                + placement
                + " computes on the CPU; set device = gpu, or a replica count >= 1");
      }
      for (int i = 0; i < replicas; i++) out.add(ai.djl.Device.cpu());
      return out;
    }
    int count = gpuCount();
    int first = placement.gpuOrFirst();
    int n = replicas == 0 ? count - first : replicas;
    checkGpus(placement, n, count, nativeFlavour());
    for (int i = 0; i < n; i++) out.add(ai.djl.Device.gpu(first + i));
    return out;
  }

  /**
   * Fails unless GPUs {@code gpu:N .. gpu:N+replicas-1} exist among {@code count}; the message
   * names the count and the valid choices.
   */
  static void checkGpus(Placement placement, int replicas, int count, String flavour) {
    if (count == 0) {
      throw new BackendUnavailableException(
          "device = "
              + placement
              + " but backend pytorch sees no usable CUDA GPU (libtorch flavour "
              + flavour
              + "); build with -P gpu on a machine with an NVIDIA driver, or set device = cpu"
              + " or auto");
    }
    int first = placement.gpuOrFirst();
    if (first >= count || replicas < 1 || first + replicas > count) {
      String gpus =
          count == 1
              ? "1 CUDA GPU (gpu:0)"
              : count + " CUDA GPUs (gpu:0 to gpu:" + (count - 1) + ")";
      throw new BackendUnavailableException(
          "device = "
              + placement
              + (replicas > 1 ? " with training.data-parallel = " + replicas : "")
              + " but backend pytorch sees "
              + gpus
              + "; choose a GPU number below "
              + count
              + (replicas > 1
                  ? " and at most " + Math.max(0, count - first) + " replicas from it"
                  : ""));
    }
  }

  private static int gpuCount() {
    return engine().getGpuCount();
  }

  /**
   * Whether the libtorch DJL will load may be a CUDA build: false when the CPU native artifact is
   * on the class path and no {@code PYTORCH_FLAVOR} selects a CUDA flavour.
   */
  public static boolean cudaFlavourPossible() {
    String override = System.getProperty("PYTORCH_FLAVOR", System.getenv("PYTORCH_FLAVOR"));
    if (override != null) return override.startsWith("cu");
    return !"cpu".equals(nativeFlavour());
  }

  /**
   * The libtorch flavour on the class path ({@code cpu}, {@code cu128}, ...) read from the native
   * artifact's properties without loading it; {@code none} when absent.
   */
  public static String nativeFlavour() {
    try (InputStream in =
        Devices.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
      if (in == null) return "none";
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("flavor", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}

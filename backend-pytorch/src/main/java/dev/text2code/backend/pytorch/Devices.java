package dev.text2code.backend.pytorch;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.backend.Device;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Loads the PyTorch engine on first use and maps a configured {@link Device} to a DJL device. */
public final class Devices {
  static final String ENGINE = "PyTorch";

  private Devices() {}

  /** System properties DJL reads for libtorch's intra-op and inter-op thread pools. */
  static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";

  static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

  /**
   * The PyTorch engine, loading libtorch on first call. Unless the user set them, libtorch gets one
   * intra-op and one inter-op thread: for the small models this SDK trains on CPUs, libtorch's
   * default pools (one thread per core each) oversubscribe the cores, and on 2 cores training ran
   * 13x and generation 50x slower (BackendBench). Set the two properties to use more threads on
   * larger models.
   */
  public static Engine engine() {
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

  /** Resolves {@code cpu}, {@code gpu} or {@code auto} to a device; {@code gpu} fails clearly. */
  public static ai.djl.Device resolve(Device device) {
    return switch (device) {
      case CPU -> ai.djl.Device.cpu();
      case AUTO -> gpuCount() > 0 ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
      case GPU -> {
        if (gpuCount() == 0) {
          throw new BackendUnavailableException(
              "device = gpu but backend pytorch sees no usable CUDA GPU (libtorch flavour "
                  + nativeFlavour()
                  + "); build with -P gpu on a machine with an NVIDIA driver, or set device = cpu"
                  + " or auto");
        }
        yield ai.djl.Device.gpu();
      }
    };
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

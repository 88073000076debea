package dev.text2code.api.backend;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.UnsupportedCapabilityException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A compute backend. Constructing one must be cheap and load no native library: natives load on the
 * first session or generator, so that only the configured backend ever touches its natives.
 */
public interface Backend {
  /** The configuration name: {@code pytorch}, {@code tensorflow}, {@code onnx}. */
  String name();

  /** Exactly what this backend implements. */
  Set<Capability> capabilities();

  /** Starts training a freshly initialised model. */
  default TrainingSession openTraining(
      ModelSpec spec, TrainingConfig config, ModalityRouter router) {
    throw unsupported(Capability.TRAIN);
  }

  /**
   * Starts training at step 0 from {@code init}'s weights, spec and router with a fresh optimizer
   * (continued pre-training; {@code init}'s optimizer state and step count are ignored).
   */
  default TrainingSession openTraining(
      dev.text2code.api.checkpoint.Checkpoint init, TrainingConfig config) {
    throw unsupported(Capability.TRAIN);
  }

  /** Continues training from a checkpoint written by {@link TrainingSession#save(Path)}. */
  default TrainingSession resumeTraining(Path checkpoint, TrainingConfig config) {
    throw unsupported(Capability.TRAIN);
  }

  /** Opens a checkpoint for generation. */
  default Generator openGenerator(Path checkpoint, Device device) {
    throw unsupported(Capability.GENERATE);
  }

  /**
   * Exports a checkpoint written by {@link TrainingSession#save(Path)} to one ONNX file with
   * key/value-cache inputs and outputs (capability {@link Capability#EXPORT_ONNX}); large weights
   * may go to an external-data file beside it.
   */
  default void exportOnnx(Path checkpoint, Path onnxFile) {
    throw unsupported(Capability.EXPORT_ONNX);
  }

  /**
   * Fails, before any work, where this backend cannot train with {@code config}'s device, precision
   * and data parallelism; callers run it before they read data. This default accepts what every
   * backend does (fp32 on one device; {@code gpu} where {@link Capability#GPU} is there) and
   * refuses the rest with the key to change.
   */
  default void checkTraining(TrainingConfig config) {
    if (config.precision() != Precision.FP32) {
      throw new dev.text2code.api.ConfigurationException(
          "training.precision = "
              + config.precision().key()
              + " is not available with backend "
              + name()
              + ", which trains in fp32 (the pytorch backend has fp16 on a GPU)");
    }
    if (config.dataParallel() != 1) {
      throw new dev.text2code.api.ConfigurationException(
          "training.data-parallel = "
              + config.dataParallel()
              + " is not available with backend "
              + name()
              + ", which trains on one device (the pytorch backend has data parallelism)");
    }
    if (config.gpuIndex() > 0) {
      throw new dev.text2code.api.ConfigurationException(
          "device = " + config.placement() + ": backend " + name() + " uses the first GPU only");
    }
    if (config.device() == Device.GPU && !capabilities().contains(Capability.GPU)) {
      throw new dev.text2code.api.BackendUnavailableException(
          "device = gpu but backend "
              + name()
              + " sees no usable GPU; build with -P gpu on a machine with an NVIDIA driver, or set"
              + " device = cpu or auto");
    }
  }

  /** The exception thrown for a capability this backend lacks. */
  default UnsupportedCapabilityException unsupported(Capability capability) {
    return new UnsupportedCapabilityException(
        "backend "
            + name()
            + " cannot "
            + capability.name().toLowerCase(java.util.Locale.ROOT)
            + "; it supports "
            + capabilities());
  }
}

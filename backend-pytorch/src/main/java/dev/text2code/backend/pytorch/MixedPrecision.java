package dev.text2code.backend.pytorch;

import ai.djl.ndarray.types.DataType;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.backend.Precision;

/**
 * What {@code training.precision} means for the pytorch backend: the forward and backward passes
 * run in the 16-bit type, the parameters, their gradients, AdamW's moments and the checkpoint stay
 * float32 (the model casts its float32 master weights as it uses them), the loss and log-softmax
 * are computed in float32, and fp16 adds dynamic loss scaling ({@link LossScaler}). The session and
 * model carry this path, but {@link #requireSupported} refuses both 16-bit types until DJL's casts
 * allow them (see there).
 */
final class MixedPrecision {
  private MixedPrecision() {}

  /** The DJL type a precision computes in. */
  static DataType computeType(Precision precision) {
    return switch (precision) {
      case FP32 -> DataType.FLOAT32;
      case BF16 -> DataType.BFLOAT16;
      case FP16 -> DataType.FLOAT16;
    };
  }

  /**
   * Refuses what DJL cannot do today. fp16: DJL's {@code toType} returns a tensor without autograd
   * history, so the cast of the float32 masters cuts the graph. bf16: DJL's PyTorch JNI aborts the
   * whole JVM ("terminate called without an active exception") when it casts a tensor to bfloat16
   * (seen with DJL 0.35.1 on libtorch 2.7.1), so the backend offers fp16 with dynamic loss scaling
   * instead, as the issue allows where bf16 is unsupported.
   */
  static void requireSupported(Precision precision, String key) {
    if (precision == Precision.FP16) {
      throw new ConfigurationException(
          key
              + " = fp16 is not available with the pytorch backend yet: DJL's cast to float16"
              + " (NDArray.toType) is not differentiable, so float32 master weights would get no"
              + " gradient (MixedPrecisionIT pins this); use "
              + key
              + " = fp32");
    }
    if (precision == Precision.BF16) {
      throw new ConfigurationException(
          key
              + " = bf16 is not available with the pytorch backend: DJL's PyTorch JNI aborts the"
              + " JVM when it casts to bfloat16; use "
              + key
              + " = fp16 (float16 with dynamic loss scaling, on a GPU) or fp32");
    }
  }

  /**
   * Refuses 16-bit training on the CPU before any work: libtorch's CPU kernels for bf16/fp16 are
   * slower than fp32 and their results would not carry over to a GPU run, so the backend does not
   * fall back silently.
   */
  static void requireGpuFor(Precision precision, ai.djl.Device device, String key) {
    if (precision != Precision.FP32 && !device.isGpu()) {
      throw new ConfigurationException(
          key
              + " = "
              + precision.key()
              + " needs a CUDA GPU (device = gpu or gpu:N), but the pytorch backend computes on "
              + device
              + "; on the CPU it trains and generates in fp32 only: set "
              + key
              + " = fp32");
    }
  }
}

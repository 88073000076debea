package dev.text2code.backend.pytorch;

import ai.djl.ndarray.types.DataType;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.backend.Precision;

/**
 * What {@code training.precision} means for the pytorch backend. fp16: the model's parameters are
 * float16 leaves, so forward and backward run in float16; their gradients are copied to float32,
 * unscaled ({@link LossScaler}) and clipped, AdamW updates float32 master weights with float32
 * moments, and the masters are rounded back into the model; checkpoints hold the masters. Logits
 * are promoted to float32 (by an add with a float32 operand, which autograd follows: DJL's {@code
 * toType} is not differentiable) before the log-softmax and loss. bf16 is refused ({@link
 * #requireSupported}); on the CPU both 16-bit types are refused ({@link #requireGpuFor}).
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
   * Refuses bf16: DJL's PyTorch JNI aborts the whole JVM ("terminate called without an active
   * exception") when it casts a tensor to bfloat16 (seen with DJL 0.35.1 on libtorch 2.7.1), so the
   * backend offers fp16 with dynamic loss scaling instead, as the issue allows where bf16 is
   * unsupported.
   */
  static void requireSupported(Precision precision, String key) {
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

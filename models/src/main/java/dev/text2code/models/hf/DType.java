package dev.text2code.models.hf;

import dev.text2code.api.CheckpointException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/** The stored element types the importer reads; every one is widened exactly to float32. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  /** The dtype of a safetensors header entry; {@code file} and {@code tensor} name the error. */
  static DType ofSafetensors(String name, Path file, String tensor) {
    for (DType d : values()) {
      if (d.name().equals(name)) return d;
    }
    throw new CheckpointException(
        file
            + ": tensor "
            + tensor
            + " has dtype "
            + name
            + ", which the importer does not read; supported: "
            + Arrays.toString(values()));
  }

  /**
   * The safetensors name of a torch storage class ({@code FloatStorage} -> F32, ...); other classes
   * keep their torch name, which {@link #ofSafetensors} then rejects when the tensor is needed.
   */
  static String ofTorchStorage(String storage) {
    return switch (storage) {
      case "FloatStorage" -> "F32";
      case "HalfStorage" -> "F16";
      case "BFloat16Storage" -> "BF16";
      default -> "torch." + storage;
    };
  }

  /** Decodes {@code count} little-endian values starting at the buffer's position into floats. */
  void decode(ByteBuffer buffer, float[] out, int offset, int count) {
    ByteBuffer b = buffer.order(ByteOrder.LITTLE_ENDIAN);
    switch (this) {
      case F32 -> b.asFloatBuffer().get(out, offset, count);
      case F16 -> {
        for (int i = 0; i < count; i++) out[offset + i] = halfToFloat(b.getShort());
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          out[offset + i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
        }
      }
    }
  }

  /** IEEE 754 binary16 to float32, exact (subnormals, infinities and NaN included). */
  static float halfToFloat(short half) {
    int h = half & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) return Float.intBitsToFloat(sign);
      float value = mantissa * 0x1p-24f; // subnormal: exact in float32
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}

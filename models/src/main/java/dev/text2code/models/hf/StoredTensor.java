package dev.text2code.models.hf;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor of a weights file lies: contiguous little-endian values of {@code dtype} (the
 * file's own name for it, e.g. {@code F16} or {@code U8}) starting at byte {@code offset} of {@code
 * file}, row-major with {@code shape}.
 */
record StoredTensor(String name, String dtype, long[] shape, Path file, long offset) {
  StoredTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    Objects.requireNonNull(file, "file");
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  long count() {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  /** The element type, or an error naming the file, the tensor and the supported types. */
  DType type() {
    return DType.ofSafetensors(dtype, file, name);
  }

  long byteLength() {
    return count() * type().bytes();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredTensor t
        && name.equals(t.name)
        && dtype.equals(t.dtype)
        && Arrays.equals(shape, t.shape)
        && file.equals(t.file)
        && offset == t.offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), file, offset);
  }
}

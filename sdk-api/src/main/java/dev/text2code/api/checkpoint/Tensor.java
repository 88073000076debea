package dev.text2code.api.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float32 tensor in row-major order. The data array is owned by the tensor; copy it if you
 * mutate.
 */
public record Tensor(String name, long[] shape, float[] data) {
  public Tensor {
    Objects.requireNonNull(name, "name");
    shape = shape.clone();
    long size = 1;
    for (long d : shape) {
      if (d < 0)
        throw new IllegalArgumentException(
            name + ": negative dimension in " + Arrays.toString(shape));
      size *= d;
    }
    if (size != data.length) {
      throw new IllegalArgumentException(
          name
              + ": shape "
              + Arrays.toString(shape)
              + " holds "
              + size
              + " values but data has "
              + data.length);
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "Tensor{" + name + " " + Arrays.toString(shape) + "}";
  }
}

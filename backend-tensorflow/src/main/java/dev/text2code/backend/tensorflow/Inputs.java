package dev.text2code.backend.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Native input tensors for one run, all released together when the arena closes. */
final class Inputs implements AutoCloseable {
  private final List<Tensor> tensors = new ArrayList<>();

  private <T extends Tensor> T keep(T tensor) {
    tensors.add(tensor);
    return tensor;
  }

  TInt32 ints(Shape shape, int[] data) {
    return keep(TInt32.tensorOf(shape, DataBuffers.of(data, true, false)));
  }

  TFloat32 floats(Shape shape, float[] data) {
    return keep(TFloat32.tensorOf(shape, DataBuffers.of(data, true, false)));
  }

  TFloat32 scalar(float value) {
    return keep(TFloat32.scalarOf(value));
  }

  TInt32 scalar(int value) {
    return keep(TInt32.scalarOf(value));
  }

  TInt64 longs(long... values) {
    return keep(TInt64.vectorOf(values));
  }

  TInt64 longs(Shape shape, long[] data) {
    return keep(TInt64.tensorOf(shape, DataBuffers.of(data, true, false)));
  }

  @Override
  public void close() {
    for (Tensor t : tensors) t.close();
    tensors.clear();
  }
}

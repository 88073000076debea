package dev.text2code.models.hf;

import dev.text2code.api.CheckpointException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads a stored tensor through a read-only memory map of just its bytes, widened to float32. The
 * map is released right after the copy (through {@code sun.misc.Unsafe.invokeCleaner} where the JVM
 * offers it), so importing a checkpoint keeps at most one tensor's pages mapped at a time and needs
 * about the size of the float32 weights in heap, not a copy of the file on top.
 */
final class MappedReader {
  /** Largest window mapped at once (a MappedByteBuffer holds at most 2 GiB). */
  private static final long WINDOW = 1L << 30;

  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method cleaner = null;
    try {
      Class<?> type = Class.forName("sun.misc.Unsafe");
      Field field = type.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      unsafe = field.get(null);
      cleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // without it the maps are released when the garbage collector frees the buffers
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = cleaner;
  }

  private MappedReader() {}

  static float[] read(StoredTensor t) {
    long count = t.count();
    if (count > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(
          t.file() + ": tensor " + t.name() + " has " + count + " values, more than a Java array");
    }
    float[] out = new float[(int) count];
    DType type = t.type();
    int elementBytes = type.bytes();
    try (FileChannel channel = FileChannel.open(t.file(), StandardOpenOption.READ)) {
      long end = t.offset() + t.byteLength();
      if (end > channel.size()) {
        throw new CheckpointException(
            t.file()
                + ": tensor "
                + t.name()
                + " needs bytes up to "
                + end
                + " but the file has "
                + channel.size()
                + " (truncated?)");
      }
      long done = 0;
      long perWindow = WINDOW / elementBytes;
      while (done < count) {
        long n = Math.min(perWindow, count - done);
        MappedByteBuffer map =
            channel.map(
                FileChannel.MapMode.READ_ONLY, t.offset() + done * elementBytes, n * elementBytes);
        try {
          type.decode(map, out, (int) done, (int) n);
        } finally {
          release(map);
        }
        done += n;
      }
    } catch (IOException e) {
      throw new CheckpointException(
          "cannot read tensor " + t.name() + " from " + t.file() + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static void release(MappedByteBuffer map) {
    if (INVOKE_CLEANER == null) return;
    try {
      INVOKE_CLEANER.invoke(UNSAFE, map);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // leave it to the garbage collector
    }
  }
}

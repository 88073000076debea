package dev.text2code.api.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Not API: the array checks and fills that {@link dev.text2code.api.objective.TrainingExample}'s
 * builder runs for every row, written so the JIT vectorises them (they run once per token of every
 * prepared row, so they are a measurable part of data preparation).
 */
public final class FastArrays {
  private FastArrays() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** 0, 1, 2, ...: copied rather than counted out for every row. */
  private static final int[] POSITIONS = countUpTo(8192);

  /** Whether every value is >= 0; four independent chains rather than one long one. */
  public static boolean nonNegative(int[] values) {
    int a = 0;
    int b = 0;
    int c = 0;
    int d = 0;
    int i = 0;
    for (; i + 3 < values.length; i += 4) {
      a |= values[i];
      b |= values[i + 1];
      c |= values[i + 2];
      d |= values[i + 3];
    }
    for (; i < values.length; i++) a |= values[i];
    return (a | b | c | d) >= 0;
  }

  /** Whether each of the first {@code n} codes is 0 or 1; eight codes at a time. */
  public static boolean zeroOrOne(byte[] codes, int n) {
    long bits = 0;
    int i = 0;
    for (; i + 7 < n; i += 8) bits |= (long) LONGS.get(codes, i);
    for (; i < n; i++) bits |= codes[i];
    return (bits & ~0x0101010101010101L) == 0;
  }

  /** A fresh array {@code 0, 1, ..., n - 1}. */
  public static int[] positions(int n) {
    return n <= POSITIONS.length ? Arrays.copyOf(POSITIONS, n) : countUpTo(n);
  }

  private static int[] countUpTo(int n) {
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) positions[i] = i;
    return positions;
  }
}

package dev.text2code.objectives;

import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.IntPredicate;

/** Builders shared by the objectives: shifted labels and the modality of each label. */
public final class Examples {
  private Examples() {}

  /**
   * A single-segment example over {@code ids}: {@code labels[i] = ids[i + 1]} where {@code
   * targetHasLoss.test(i + 1)}, {@link TrainingExample#IGNORE} elsewhere (and always at the last
   * position, which has no next token). Position ids run 0..n-1.
   *
   * @param modalities modality code of every token of {@code ids}; the target modality of position
   *     {@code i} is that of token {@code i + 1}
   */
  public static TrainingExample shifted(
      int[] ids, byte[] modalities, IntPredicate targetHasLoss, int prefixLength) {
    int n = ids.length;
    int[] labels = new int[n];
    byte[] targetModalities = new byte[n];
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) {
      positions[i] = i;
      int target = i + 1;
      if (target < n && targetHasLoss.test(target)) {
        labels[i] = ids[target];
        targetModalities[i] = modalities[target];
      } else {
        labels[i] = TrainingExample.IGNORE;
      }
    }
    return TrainingExample.of(
        ids, labels, targetModalities, positions, AttentionSpec.prefix(n, prefixLength));
  }

  /**
   * {@link #shifted} with loss on every target at or after {@code firstLabelledTarget}: the common
   * case, without a per-position predicate call.
   */
  public static TrainingExample shiftedFrom(
      int[] ids, byte[] modalities, int firstLabelledTarget, int prefixLength) {
    return TrainingExample.builder(ids.length)
        .addAll(ids, modalities, 0, ids.length)
        .nextToken(firstLabelledTarget, prefixLength);
  }

  /**
   * A prompt: {@code pieces[0]} must be {@code head}'s ids, which keep its modalities and prefix
   * index; the other pieces follow as code.
   */
  public static dev.text2code.api.TokenSequence concatenate(
      dev.text2code.api.TokenSequence head, int[]... pieces) {
    int n = 0;
    for (int[] p : pieces) n += p.length;
    int[] ids = new int[n];
    byte[] modalities = filled(n, dev.text2code.api.Modality.CODE.code());
    System.arraycopy(head.modalityCodes(), 0, modalities, 0, head.length());
    int at = 0;
    for (int[] p : pieces) {
      System.arraycopy(p, 0, ids, at, p.length);
      at += p.length;
    }
    return dev.text2code.api.TokenSequence.of(ids, modalities, head.prefixIndex());
  }

  /** The modality code every token has, or -1 when they differ (or there are none). */
  public static int sharedModality(byte[] codes) {
    if (codes.length == 0) return -1;
    byte first = codes[0];
    // Eight codes at a time: a byte-by-byte loop costs about five times as much here.
    long firstEight = (first & 0xFFL) * 0x0101010101010101L;
    long differ = 0;
    int i = 0;
    for (; i + 7 < codes.length; i += 8) differ |= (long) EIGHT_BYTES.get(codes, i) ^ firstEight;
    for (; i < codes.length; i++) differ |= codes[i] ^ first;
    return differ == 0 ? first : -1;
  }

  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Modality codes of {@code n} tokens, all {@code code}. */
  public static byte[] filled(int n, byte code) {
    byte[] m = new byte[n];
    java.util.Arrays.fill(m, code);
    return m;
  }
}

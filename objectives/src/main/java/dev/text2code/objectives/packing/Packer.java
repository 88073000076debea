package dev.text2code.objectives.packing;

import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Greedy packing as in the paper's {@code concatenate_examples}: examples join the open row while
 * they fit; the first one that does not fit closes it (the row is padded) and opens the next. Every
 * example keeps its own attention segments (its prefix square included), so no example ever sees
 * another; position ids are the example's own, restarting per example. Padding is one more segment
 * with input {@code padId}, position ids from 0 and label IGNORE.
 *
 * <p>Memory is one row. Not thread-safe.
 */
public final class Packer {
  private final PackingOptions options;
  private final int[] inputs;
  private final int[] labels;
  private final byte[] modalities;
  private final int[] positions;
  private final int[] segments;
  private final int[] prefixLengths;
  private int used;
  private int segmentCount;
  private int examples;
  private long dropped;
  private long truncated;

  public Packer(PackingOptions options) {
    this.options = options;
    int n = options.rowLength();
    inputs = new int[n];
    labels = new int[n];
    modalities = new byte[n];
    positions = new int[n];
    segments = new int[n];
    prefixLengths = new int[n];
  }

  public PackingOptions options() {
    return options;
  }

  /**
   * Adds one example; returns the row it closed, if it did not fit in the open one. An example
   * longer than a row is dropped or truncated per {@link PackingOptions#overflow()}.
   */
  public Optional<PackedRow> add(TrainingExample example) {
    TrainingExample e = example;
    if (e.length() > options.rowLength()) {
      if (options.overflow() == PackingOptions.Overflow.DROP) {
        dropped++;
        return Optional.empty();
      }
      e = truncate(e, options.rowLength());
      truncated++;
    }
    if (e.length() == 0) return Optional.empty();
    Optional<PackedRow> closed = Optional.empty();
    if (used + e.length() > options.rowLength()) closed = flush();
    append(e);
    return closed;
  }

  /** Closes the open row if it holds any example. */
  public Optional<PackedRow> flush() {
    if (examples == 0) return Optional.empty();
    int n = options.rowLength();
    int segmentTotal = segmentCount;
    if (used < n) {
      for (int i = used; i < n; i++) {
        inputs[i] = options.padId();
        labels[i] = TrainingExample.IGNORE;
        modalities[i] = 0;
        positions[i] = i - used;
        segments[i] = segmentCount;
      }
      prefixLengths[segmentCount] = 0;
      segmentTotal++;
    }
    AttentionSpec attention =
        AttentionSpec.segments(segments, Arrays.copyOf(prefixLengths, segmentTotal));
    PackedRow row =
        new PackedRow(
            TrainingExample.of(inputs, labels, modalities, positions, attention), examples);
    used = 0;
    segmentCount = 0;
    examples = 0;
    return Optional.of(row);
  }

  /** Whether the open row holds no example. */
  public boolean isEmpty() {
    return examples == 0;
  }

  /** Examples dropped for being longer than a row. */
  public long dropped() {
    return dropped;
  }

  /** Examples cut to the row length. */
  public long truncated() {
    return truncated;
  }

  private void append(TrainingExample e) {
    int n = e.length();
    System.arraycopy(e.inputIds(), 0, inputs, used, n);
    System.arraycopy(e.labels(), 0, labels, used, n);
    System.arraycopy(e.targetModalities(), 0, modalities, used, n);
    System.arraycopy(e.positionIds(), 0, positions, used, n);
    AttentionSpec a = e.attention();
    for (int i = 0; i < n; i++) segments[used + i] = segmentCount + a.segmentOf(i);
    for (int s = 0; s < a.segmentCount(); s++) prefixLengths[segmentCount + s] = a.prefixLength(s);
    segmentCount += a.segmentCount();
    used += n;
    examples++;
  }

  /** The first {@code length} positions of an example, its segments and prefixes cut to fit. */
  public static TrainingExample truncate(TrainingExample e, int length) {
    AttentionSpec a = e.attention();
    int[] segmentIds = Arrays.copyOf(a.segmentIds(), length);
    int segmentsKept = length == 0 ? 0 : segmentIds[length - 1] + 1;
    int[] prefixes = new int[segmentsKept];
    for (int s = 0; s < segmentsKept; s++) {
      int available = Math.min(length, nextStart(a, s)) - a.segmentStart(s);
      prefixes[s] = Math.min(a.prefixLength(s), available);
    }
    return TrainingExample.of(
        Arrays.copyOf(e.inputIds(), length),
        Arrays.copyOf(e.labels(), length),
        Arrays.copyOf(e.targetModalities(), length),
        Arrays.copyOf(e.positionIds(), length),
        AttentionSpec.segments(segmentIds, prefixes));
  }

  private static int nextStart(AttentionSpec a, int segment) {
    return segment + 1 < a.segmentCount() ? a.segmentStart(segment + 1) : a.length();
  }

  /** Packs a stream of examples lazily, flushing the last row at the end. */
  public static Iterator<PackedRow> pack(
      Iterator<TrainingExample> examples, PackingOptions options) {
    Packer packer = new Packer(options);
    return new Iterator<>() {
      private PackedRow next;
      private boolean flushed;

      @Override
      public boolean hasNext() {
        while (next == null && !flushed) {
          if (examples.hasNext()) {
            next = packer.add(examples.next()).orElse(null);
          } else {
            next = packer.flush().orElse(null);
            flushed = true;
          }
        }
        return next != null;
      }

      @Override
      public PackedRow next() {
        if (!hasNext()) throw new NoSuchElementException();
        PackedRow row = next;
        next = null;
        return row;
      }
    };
  }
}

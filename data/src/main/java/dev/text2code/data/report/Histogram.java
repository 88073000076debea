package dev.text2code.data.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts of lengths in power-of-two bins: bin 0 holds length 0, bin {@code k >= 1} holds lengths in
 * {@code [2^(k-1), 2^k)}. Scale-free, so one layout fits tiny and huge corpora.
 */
public final class Histogram {
  private long[] bins = new long[1];
  private long count;
  private long total;
  private long max;

  /** Adds one length. */
  public void add(long length) {
    if (length < 0) throw new IllegalArgumentException("length " + length + " < 0");
    int bin = length == 0 ? 0 : 64 - Long.numberOfLeadingZeros(length);
    if (bin >= bins.length) bins = Arrays.copyOf(bins, bin + 1);
    bins[bin]++;
    count++;
    total += length;
    max = Math.max(max, length);
  }

  /** Adds every count of {@code other}. */
  public void addAll(Histogram other) {
    if (other.bins.length > bins.length) bins = Arrays.copyOf(bins, other.bins.length);
    for (int i = 0; i < other.bins.length; i++) bins[i] += other.bins[i];
    count += other.count;
    total += other.total;
    max = Math.max(max, other.max);
  }

  /** A snapshot. */
  public Summary summary() {
    List<Bin> out = new ArrayList<>();
    for (int k = 0; k < bins.length; k++) {
      long from = k == 0 ? 0 : 1L << (k - 1);
      long to = k == 0 ? 0 : (1L << k) - 1;
      out.add(new Bin(from, to, bins[k]));
    }
    return new Summary(count, total, max, count == 0 ? 0 : (double) total / count, out);
  }

  /**
   * A histogram as written to the report.
   *
   * @param count values added
   * @param total their sum
   * @param max the largest
   * @param mean total / count (0 when empty)
   * @param bins the bins, in order
   */
  public record Summary(long count, long total, long max, double mean, List<Bin> bins) {
    public Summary {
      bins = List.copyOf(bins);
    }
  }

  /**
   * One bin: lengths {@code from..to} inclusive.
   *
   * @param count how many
   */
  public record Bin(long from, long to, long count) {}
}

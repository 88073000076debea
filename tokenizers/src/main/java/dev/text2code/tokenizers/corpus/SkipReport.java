package dev.text2code.tokenizers.corpus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records that were skipped, with the reason: counted per reason, the first few kept as examples,
 * reported at the end of a run. Thread-safe.
 */
public final class SkipReport {
  /** One skipped record: where (file:line, file) and why. */
  public record Skip(String where, String reason) {}

  private static final int EXAMPLES_PER_REASON = 5;
  private final Map<String, Integer> counts = new TreeMap<>();
  private final List<Skip> examples = new ArrayList<>();
  private long accepted;

  public synchronized void skip(String where, String reason) {
    int seen = counts.merge(reason, 1, Integer::sum);
    if (seen <= EXAMPLES_PER_REASON) examples.add(new Skip(where, reason));
  }

  public synchronized void accept() {
    accepted++;
  }

  public synchronized long accepted() {
    return accepted;
  }

  public synchronized long skipped() {
    return counts.values().stream().mapToLong(Integer::longValue).sum();
  }

  /** Skips per reason, sorted by reason. */
  public synchronized Map<String, Integer> countsByReason() {
    return Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /** Up to five examples per reason, in the order they happened. */
  public synchronized List<Skip> examples() {
    return List.copyOf(examples);
  }

  /** A multi-line summary for the end of a run. */
  public synchronized String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(accepted).append(" accepted, ").append(skipped()).append(" skipped");
    counts.forEach(
        (reason, n) -> {
          sb.append("\n  ").append(n).append(" x ").append(reason);
          for (Skip s : examples) {
            if (s.reason().equals(reason)) sb.append("\n      e.g. ").append(s.where());
          }
        });
    return sb.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}

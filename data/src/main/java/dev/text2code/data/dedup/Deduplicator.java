package dev.text2code.data.dedup;

import dev.text2code.api.TextCodePair;
import dev.text2code.data.CodeTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Removes duplicate pairs from a stream, in input order. The rule: the first pair of a cluster is
 * kept; a later pair is removed when its normalised text and code equal a kept pair's (exact), or
 * when the estimated Jaccard similarity of its code shingles with a kept pair that shares an LSH
 * band is at least the threshold (near; against the earliest such kept pair). Pairs are compared
 * only with kept pairs, so the result depends on nothing but the input order and the options.
 *
 * <p>Memory grows with the kept pairs (one signature and one band entry per band each), not with
 * the removed ones.
 */
public final class Deduplicator {
  private final DedupOptions options;
  private final MinHash minHash;
  private final Map<Long, Integer> exactKeys = new HashMap<>();
  private final Map<Long, int[]> buckets = new HashMap<>();
  private final List<int[]> signatures = new ArrayList<>();
  private final List<String> keptIds = new ArrayList<>();
  private final List<DedupSummary.Example> examples = new ArrayList<>();
  private long seen;
  private long exactRemoved;
  private long nearRemoved;

  public Deduplicator(DedupOptions options) {
    this.options = options;
    this.minHash = new MinHash(options);
  }

  /** What became of one pair. */
  public enum Fate {
    KEPT,
    EXACT_DUPLICATE,
    NEAR_DUPLICATE
  }

  /** Decides one pair (and remembers it when kept). */
  public Fate offer(TextCodePair pair) {
    return offer(
        pair,
        options.exact() ? exactKey(pair) : 0,
        options.near() ? minHash.signature(pair.code()) : null);
  }

  /**
   * Decides one pair from its precomputed exact key and signature ({@link #exactKey}, {@link
   * MinHash#signature}), so an engine can compute those in parallel and decide in order.
   */
  public Fate offer(TextCodePair pair, long exactKey, int[] signature) {
    return offer(pair.id(), exactKey, signature);
  }

  /**
   * {@link #offer(TextCodePair, long, int[])} by the pair's id (all the decision keeps of it), so
   * an engine that computed the keys elsewhere need not bring the pair back.
   */
  public Fate offer(String id, long exactKey, int[] signature) {
    seen++;
    if (options.exact()) {
      Integer earlier = exactKeys.get(exactKey);
      if (earlier != null) {
        exactRemoved++;
        note(id, earlier, "exact", 1.0);
        return Fate.EXACT_DUPLICATE;
      }
    }
    long[] bandKeys = null;
    if (options.near()) {
      bandKeys = bandKeys(signature);
      int best = -1;
      double bestSimilarity = 0;
      for (long key : bandKeys) {
        int[] members = buckets.get(key);
        if (members == null) continue;
        for (int m = 1; m <= members[0]; m++) {
          int candidate = members[m];
          if (best >= 0 && candidate >= best) continue;
          double s = MinHash.similarity(signature, signatures.get(candidate));
          if (s >= options.threshold()) {
            best = candidate;
            bestSimilarity = s;
          }
        }
      }
      if (best >= 0) {
        nearRemoved++;
        note(id, best, "near", bestSimilarity);
        return Fate.NEAR_DUPLICATE;
      }
    }
    int index = keptIds.size();
    keptIds.add(id);
    if (options.exact()) exactKeys.put(exactKey, index);
    if (options.near()) {
      signatures.add(signature);
      for (long key : bandKeys) {
        int[] members = buckets.get(key);
        if (members == null) {
          members = new int[2];
        } else if (members[0] + 1 == members.length) {
          members = Arrays.copyOf(members, members.length * 2);
        }
        members[++members[0]] = index;
        buckets.put(key, members);
      }
    }
    return Fate.KEPT;
  }

  /** Counts and the first removed pairs so far. */
  public DedupSummary summary() {
    return new DedupSummary(
        options.exact(),
        options.near(),
        options.threshold(),
        seen,
        seen - exactRemoved - nearRemoved,
        exactRemoved,
        nearRemoved,
        examples);
  }

  /** The pairs of {@code pairs} that survive, in order, and the summary. */
  public static Result deduplicate(List<TextCodePair> pairs, DedupOptions options) {
    if (!options.enabled()) {
      return new Result(
          pairs,
          new DedupSummary(
              false, false, options.threshold(), pairs.size(), pairs.size(), 0, 0, List.of()));
    }
    Deduplicator d = new Deduplicator(options);
    List<TextCodePair> kept = new ArrayList<>();
    for (TextCodePair p : pairs) if (d.offer(p) == Fate.KEPT) kept.add(p);
    return new Result(kept, d.summary());
  }

  /** {@link #deduplicate} as a filter in front of {@code sink}. */
  public Consumer<TextCodePair> filter(Consumer<TextCodePair> sink) {
    return p -> {
      if (offer(p) == Fate.KEPT) sink.accept(p);
    };
  }

  /** The surviving pairs and what was removed. */
  public record Result(List<TextCodePair> kept, DedupSummary summary) {
    public Result {
      kept = List.copyOf(kept);
    }
  }

  /**
   * The exact-duplicate key: a hash of the text with runs of whitespace collapsed and of the code
   * with line endings unified, trailing spaces and blank lines removed.
   */
  public static long exactKey(TextCodePair pair) {
    long h = 0x243F6A8885A308D3L;
    h = fold(h, pair.text().strip().replaceAll("\\s+", " "));
    h = fold(h, "\u0000");
    h = fold(h, normaliseCode(pair.code()));
    return CodeTokens.mix(h);
  }

  static String normaliseCode(String code) {
    StringBuilder out = new StringBuilder(code.length());
    for (String line : code.replace("\r\n", "\n").replace('\r', '\n').split("\n")) {
      String trimmed = line.stripTrailing();
      if (trimmed.isEmpty()) continue;
      out.append(trimmed).append('\n');
    }
    return out.toString();
  }

  private static long fold(long h, String s) {
    for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001B3L;
    return h;
  }

  private long[] bandKeys(int[] signature) {
    int rows = options.rowsPerBand();
    long[] keys = new long[options.bands()];
    for (int b = 0; b < keys.length; b++) {
      long h = CodeTokens.mix(b + 0x632BE59BD9B4E019L);
      for (int r = 0; r < rows; r++) h = CodeTokens.mix(h * 31 + signature[b * rows + r]);
      keys[b] = h;
    }
    return keys;
  }

  private void note(String removed, int keptIndex, String kind, double similarity) {
    if (examples.size() < options.examples()) {
      examples.add(new DedupSummary.Example(removed, keptIds.get(keptIndex), kind, similarity));
    }
  }
}

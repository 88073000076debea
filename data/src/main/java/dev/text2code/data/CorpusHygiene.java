package dev.text2code.data;

import dev.text2code.api.Settings;
import dev.text2code.api.TextCodePair;
import dev.text2code.data.decontamination.DecontaminationOptions;
import dev.text2code.data.decontamination.DecontaminationSummary;
import dev.text2code.data.decontamination.Decontaminator;
import dev.text2code.data.dedup.DedupOptions;
import dev.text2code.data.dedup.DedupSummary;
import dev.text2code.data.dedup.Deduplicator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The corpus passes before preparation, in order: decontamination (pairs overlapping a benchmark go
 * first, so no kept duplicate stands for a removed one), then deduplication. Both keep input order.
 *
 * @param dedup how duplicates are found
 * @param decontamination which benchmarks are checked
 * @param dataDirectory where named benchmarks are found
 */
public record CorpusHygiene(
    DedupOptions dedup, DecontaminationOptions decontamination, Path dataDirectory) {
  public CorpusHygiene {
    Objects.requireNonNull(dedup, "dedup");
    Objects.requireNonNull(decontamination, "decontamination");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
  }

  /**
   * Reads {@code data.dedup.*} and {@code data.decontamination.*}; benchmarks are found under
   * {@code evaluation.data-dir}, or {@code ../shared/data} / {@code shared/data} when that exists.
   */
  public static CorpusHygiene fromSettings(Settings settings) {
    return new CorpusHygiene(
        DedupOptions.fromSettings(settings),
        DecontaminationOptions.fromSettings(settings),
        dataDirectory(settings));
  }

  static Path dataDirectory(Settings settings) {
    String configured = settings.string("evaluation.data-dir", "");
    if (!configured.isBlank()) return Path.of(configured);
    for (Path candidate : List.of(Path.of("..", "shared", "data"), Path.of("shared", "data"))) {
      if (Files.isDirectory(candidate)) return candidate;
    }
    return Path.of("..", "shared", "data");
  }

  /** The surviving pairs and what each pass removed. */
  public record Result(
      List<TextCodePair> kept, DecontaminationSummary decontamination, DedupSummary dedup) {
    public Result {
      kept = List.copyOf(kept);
    }
  }

  /** Runs both passes over {@code pairs}. */
  public Result apply(List<TextCodePair> pairs) {
    Filter filter = filter();
    List<TextCodePair> kept = new ArrayList<>();
    for (TextCodePair p : pairs) if (filter.test(p)) kept.add(p);
    return new Result(kept, filter.decontamination(), filter.dedup());
  }

  /** Both passes as one stateful predicate over a stream of pairs, in order. */
  public Filter filter() {
    return new Filter();
  }

  /** Keeps the pairs that overlap no benchmark and duplicate no earlier kept pair. */
  public final class Filter implements java.util.function.Predicate<TextCodePair> {
    private final Decontaminator decontaminator =
        decontamination.enabled() ? Decontaminator.load(decontamination, dataDirectory) : null;
    private final Deduplicator deduplicator = dedup.enabled() ? new Deduplicator(dedup) : null;
    private long seen;
    private long clean;

    private Filter() {}

    @Override
    public boolean test(TextCodePair pair) {
      seen++;
      if (decontaminator != null && !decontaminator.offer(pair)) return false;
      clean++;
      return deduplicator == null || deduplicator.offer(pair) == Deduplicator.Fate.KEPT;
    }

    /**
     * {@link #test(TextCodePair)} from what an engine computed for the pair elsewhere: its
     * benchmark {@code hits} (with {@link #decontaminator()}; ignored when decontamination is off),
     * its {@link Deduplicator#exactKey} and its MinHash signature (null when near dedup is off).
     */
    public boolean test(String id, Decontaminator.Hits hits, long exactKey, int[] signature) {
      seen++;
      if (decontaminator != null && !decontaminator.record(id, hits)) return false;
      clean++;
      return deduplicator == null
          || deduplicator.offer(id, exactKey, signature) == Deduplicator.Fate.KEPT;
    }

    public DecontaminationSummary decontamination() {
      return decontaminator != null
          ? decontaminator.summary()
          : new DecontaminationSummary(
              CorpusHygiene.this.decontamination.ngram(),
              CorpusHygiene.this.decontamination.docstrings(),
              seen,
              0,
              List.of());
    }

    public DedupSummary dedup() {
      return deduplicator != null
          ? deduplicator.summary()
          : new DedupSummary(
              false, false, CorpusHygiene.this.dedup.threshold(), clean, clean, 0, 0, List.of());
    }
  }
}

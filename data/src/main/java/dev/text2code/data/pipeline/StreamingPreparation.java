package dev.text2code.data.pipeline;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.Objective;
import dev.text2code.data.CorpusHygiene;
import dev.text2code.data.report.DataReport;
import dev.text2code.data.report.DataReportBuilder;
import dev.text2code.objectives.prepare.DataPreparer;
import dev.text2code.objectives.prepare.Manifest;
import dev.text2code.objectives.prepare.PreparationConfig;
import dev.text2code.objectives.prepare.PreparedDataset;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Prepares a corpus in two streaming passes (training split, then held-out split): each pass reads
 * the pairs again, cleans them ({@link CorpusHygiene}), keeps its split ({@link HeldOutSplit}),
 * encodes them and hands them to {@link DataPreparer}. Memory holds one shard, the read-ahead
 * buffer and the deduplication index (which grows with the kept pairs only, about 0.6 KB each with
 * the default 128 permutations), not the corpus. The shards are the same bytes {@link DataPreparer}
 * writes for the same examples in the same order; resuming works as there.
 */
public final class StreamingPreparation {
  private static final int MAX_REASONS = 50;

  private StreamingPreparation() {}

  /** The two manifests and the report (also written into {@code reportDirectory}). */
  public record Result(Manifest train, Manifest heldOut, DataReport report) {}

  /**
   * Runs both passes.
   *
   * @param pairs opens the corpus afresh (called once per pass; each stream is closed)
   * @param encode pair layout and routing; an {@link InvalidInputException} rejects the pair
   * @param heldOutFraction share of pairs held out ({@link HeldOutSplit})
   */
  public static Result prepare(
      Supplier<Stream<TextCodePair>> pairs,
      Function<TextCodePair, TokenSequence> encode,
      Objective objective,
      PreparationConfig train,
      PreparationConfig heldOut,
      double heldOutFraction,
      CorpusHygiene hygiene,
      Path reportDirectory) {
    DataReportBuilder report = new DataReportBuilder();
    Map<String, Long> rejected = new TreeMap<>();
    long[] read = new long[1];
    CorpusHygiene.Filter trainFilter = hygiene.filter();
    Manifest trainManifest;
    try (Stream<TextCodePair> s = pairs.get()) {
      Stream<TextCodePair> counted = s.peek(p -> read[0]++).filter(trainFilter);
      trainManifest =
          DataPreparer.prepare(
              train, objective, encoded(counted, false, heldOutFraction, encode, report, rejected));
    }
    CorpusHygiene.Filter heldOutFilter = hygiene.filter();
    Manifest heldOutManifest;
    try (Stream<TextCodePair> s = pairs.get()) {
      heldOutManifest =
          DataPreparer.prepare(
              heldOut,
              objective,
              encoded(s.filter(heldOutFilter), true, heldOutFraction, encode, report, rejected));
    }
    DataReport built =
        report.build(
            read[0],
            Map.of(),
            trainFilter.dedup(),
            trainFilter.decontamination(),
            rejected,
            List.of(
                DataReport.Split.of("train", PreparedDataset.open(train.outputDirectory())),
                DataReport.Split.of("held-out", PreparedDataset.open(heldOut.outputDirectory()))));
    built.write(reportDirectory);
    return new Result(trainManifest, heldOutManifest, built);
  }

  private static Iterator<TokenSequence> encoded(
      Stream<TextCodePair> pairs,
      boolean wantHeldOut,
      double fraction,
      Function<TextCodePair, TokenSequence> encode,
      DataReportBuilder report,
      Map<String, Long> rejected) {
    return pairs
        .filter(p -> HeldOutSplit.isHeldOut(p, fraction) == wantHeldOut)
        .<TokenSequence>mapMulti(
            (p, sink) -> {
              TokenSequence s;
              try {
                s = encode.apply(p);
              } catch (InvalidInputException e) {
                String reason = e.getMessage();
                if (rejected.size() >= MAX_REASONS && !rejected.containsKey(reason)) {
                  reason = "other reasons";
                }
                rejected.merge(reason, 1L, Long::sum);
                return;
              }
              report.example(s);
              sink.accept(s);
            })
        .iterator();
  }
}

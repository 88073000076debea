package dev.text2code.runs;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.GenerationNeeds;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.data.CorpusHygiene;
import dev.text2code.data.pipeline.HeldOutSplit;
import dev.text2code.data.report.DataReport;
import dev.text2code.data.report.DataReportBuilder;
import dev.text2code.objectives.packing.PackingOptions;
import dev.text2code.objectives.prepare.DataPreparer;
import dev.text2code.objectives.prepare.Manifest;
import dev.text2code.objectives.prepare.PreparationConfig;
import dev.text2code.objectives.prepare.PreparedDataset;
import dev.text2code.objectives.prepare.TokenizerFingerprint;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.corpus.SkipReport;
import dev.text2code.tokenizers.pairs.PairFormat;
import dev.text2code.tokenizers.pairs.PairLayout;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Turns pairs into prepared rows: pair layout, routing, the objective and packing, written as
 * shards that a killed run resumes; pairs are split into training and held-out sets by a hash of
 * their id.
 */
public final class RunData {
  private RunData() {}

  /** The prepared training and held-out rows. */
  public record Prepared(
      List<TrainingExample> train, List<TrainingExample> heldOut, Manifest trainManifest) {}

  /**
   * Whether a pair belongs to the held-out split: {@code fraction} of pairs, chosen by a hash of
   * the pair's content (not its id, which names a file path), so the split is the same on every
   * machine and in every directory, and duplicate pairs never straddle the two splits.
   */
  public static boolean isHeldOut(TextCodePair pair, double fraction) {
    return HeldOutSplit.isHeldOut(pair, fraction);
  }

  public static Prepared prepare(
      RunLayout layout,
      RunTokenizers tokenizers,
      Objective objective,
      List<TextCodePair> pairs,
      Settings settings,
      SkipReport skips) {
    return prepare(layout, tokenizers, objective, pairs::stream, settings, skips);
  }

  /**
   * {@link #prepare(RunLayout, RunTokenizers, Objective, List, Settings, SkipReport)} streaming:
   * {@code pairs} opens the corpus afresh for each of the two passes (training split, then held-out
   * split), so memory holds one shard and the deduplication index, not the corpus. The output is
   * the same bytes.
   */
  public static Prepared prepare(
      RunLayout layout,
      RunTokenizers tokenizers,
      Objective objective,
      Supplier<Stream<TextCodePair>> pairs,
      Settings settings,
      SkipReport skips) {
    CorpusHygiene hygiene = CorpusHygiene.fromSettings(settings);
    DataReportBuilder report = new DataReportBuilder();
    double fraction = settings.number("data.held-out-fraction", 0.05);
    PairFormat format = pairFormat(tokenizers, settings);
    boolean codeOnly = isCodeOnly(objective);
    long[] read = new long[1];
    CorpusHygiene.Filter trainFilter = hygiene.filter();
    Manifest manifest;
    try (Stream<TextCodePair> all = pairs.get()) {
      Iterator<TextCodePair> train =
          all.peek(p -> read[0]++)
              .filter(trainFilter)
              .filter(p -> !isHeldOut(p, fraction))
              .iterator();
      manifest =
          prepareSplit(
              layout.preparedTrain(),
              tokenizers,
              format,
              objective,
              train,
              settings,
              skips,
              codeOnly,
              report);
      // A complete earlier preparation returns at once; the pairs still count.
      while (train.hasNext()) train.next();
    }
    CorpusHygiene.Filter heldOutFilter = hygiene.filter();
    try (Stream<TextCodePair> all = pairs.get()) {
      Iterator<TextCodePair> heldOut =
          all.filter(heldOutFilter).filter(p -> isHeldOut(p, fraction)).iterator();
      prepareSplit(
          layout.preparedHeldOut(),
          tokenizers,
          format,
          objective,
          heldOut,
          settings,
          skips,
          codeOnly,
          report);
    }
    PreparedDataset trainRows = PreparedDataset.open(layout.preparedTrain());
    PreparedDataset heldOutRows = PreparedDataset.open(layout.preparedHeldOut());
    java.util.Map<String, Long> rejected = new java.util.TreeMap<>();
    skips.countsByReason().forEach((reason, n) -> rejected.put(reason, n.longValue()));
    report
        .build(
            read[0],
            java.util.Map.of(),
            trainFilter.dedup(),
            trainFilter.decontamination(),
            rejected,
            List.of(
                DataReport.Split.of("train", trainRows),
                DataReport.Split.of("held-out", heldOutRows)))
        .write(layout.preparedTrain().getParent());
    return new Prepared(trainRows.rows(), heldOutRows.rows(), manifest);
  }

  private static Manifest prepareSplit(
      Path directory,
      RunTokenizers tokenizers,
      PairFormat format,
      Objective objective,
      Iterator<TextCodePair> pairs,
      Settings settings,
      SkipReport skips,
      boolean codeOnly,
      DataReportBuilder report) {
    return DataPreparer.prepare(
        preparationConfig(directory, tokenizers, settings),
        objective,
        sequences(pairs, format, tokenizers, skips, codeOnly, report));
  }

  /** How a split is packed and written ({@code model.context}, {@code data.*}, {@code seed}). */
  public static PreparationConfig preparationConfig(
      Path directory, RunTokenizers tokenizers, Settings settings) {
    PackingOptions packing =
        new PackingOptions(
            (int) settings.integer("model.context", 256),
            tokenizers.tokenizer().specialTokenId(SpecialTokens.PAD),
            PackingOptions.Overflow.valueOf(
                settings.string("data.overflow").toUpperCase(Locale.ROOT)));
    return new PreparationConfig(
        directory,
        settings.integer("seed", 1234),
        0,
        packing,
        (int) settings.integer("data.rows-per-shard", 512),
        tokenizers.tokenizer().name(),
        TokenizerFingerprint.of(tokenizers.tokenizer()));
  }

  /**
   * One pair as the token sequence the objective gets: the configured layout, routed (or the code
   * alone for a code-only objective, {@link #isCodeOnly}). Throws {@link InvalidInputException} for
   * a pair the layout rejects. Every engine encodes with this.
   */
  public static TokenSequence encode(
      TextCodePair pair, PairFormat format, RunTokenizers tokenizers, boolean codeOnly) {
    return codeOnly
        ? TokenSequence.uniform(tokenizers.tokenizer().encode(pair.code()).toArray(), Modality.CODE)
        : tokenizers.router().route(format.format(pair));
  }

  /** The pair format of {@code data.layout} / {@code data.linearize}. */
  public static PairFormat pairFormat(RunTokenizers tokenizers, Settings settings) {
    return new PairFormat(
        tokenizers.tokenizer(),
        PairLayout.parse(settings.string("data.layout")),
        settings.flag("data.linearize", false));
  }

  /**
   * Whether the objective reads whole code files (here: each pair's code) as tokenizer ids, as CERT
   * does (its paper has no embedding separation); other objectives get the paper layout, routed.
   */
  public static boolean isCodeOnly(Objective objective) {
    return objective.generationNeeds().input() == GenerationNeeds.Input.CODE;
  }

  /** Formats and routes pairs lazily; a pair the layout rejects is a counted skip. */
  private static Iterator<TokenSequence> sequences(
      Iterator<TextCodePair> pairs,
      PairFormat format,
      RunTokenizers tokenizers,
      SkipReport skips,
      boolean codeOnly,
      DataReportBuilder report) {
    Iterator<TextCodePair> source = pairs;
    return new Iterator<>() {
      private TokenSequence next;

      @Override
      public boolean hasNext() {
        while (next == null && source.hasNext()) {
          TextCodePair pair = source.next();
          try {
            next = encode(pair, format, tokenizers, codeOnly);
            report.example(next);
          } catch (InvalidInputException e) {
            skips.skip(pair.id(), e.getMessage());
          }
        }
        return next != null;
      }

      @Override
      public TokenSequence next() {
        if (!hasNext()) throw new NoSuchElementException();
        TokenSequence s = next;
        next = null;
        return s;
      }
    };
  }
}

package dev.text2code.data.spark;

import com.typesafe.config.ConfigFactory;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenSequence;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.wiring.SdkInjector;
import dev.text2code.data.CorpusHygiene;
import dev.text2code.data.decontamination.Decontaminator;
import dev.text2code.data.dedup.Deduplicator;
import dev.text2code.data.dedup.MinHash;
import dev.text2code.data.pipeline.HeldOutSplit;
import dev.text2code.runs.RunData;
import dev.text2code.runs.RunTokenizers;
import dev.text2code.tokenizers.corpus.PairCorpusReader;
import dev.text2code.tokenizers.corpus.SkipReport;
import dev.text2code.tokenizers.pairs.PairFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-record work of one executor JVM, built once per configuration from the rendered run
 * configuration with the same components and classes the single-JVM engine uses.
 */
final class Worker {
  private static final Map<String, Worker> WORKERS = new ConcurrentHashMap<>();

  private final PairCorpusReader reader = new PairCorpusReader();
  private final RunTokenizers tokenizers;
  private final PairFormat format;
  private final boolean codeOnly;
  private final boolean exact;
  private final MinHash minHash;
  private final Decontaminator decontaminator;
  private final double heldOutFraction;

  private Worker(String renderedConfig, boolean codeOnly) {
    SdkConfig settings =
        SdkConfig.of(ConfigFactory.parseString(renderedConfig).resolve(), "the Spark driver");
    this.tokenizers =
        RunTokenizers.build(SdkInjector.components(SdkInjector.create()).runComponents(), settings);
    this.format = RunData.pairFormat(tokenizers, settings);
    this.codeOnly = codeOnly;
    CorpusHygiene hygiene = CorpusHygiene.fromSettings(settings);
    this.exact = hygiene.dedup().exact();
    this.minHash = hygiene.dedup().near() ? new MinHash(hygiene.dedup()) : null;
    this.decontaminator =
        hygiene.decontamination().enabled()
            ? Decontaminator.load(hygiene.decontamination(), hygiene.dataDirectory())
            : null;
    this.heldOutFraction = settings.number("data.held-out-fraction", 0.05);
  }

  static Worker of(String renderedConfig, boolean codeOnly) {
    return WORKERS.computeIfAbsent(
        (codeOnly ? "code-only\n" : "pairs\n") + renderedConfig,
        k -> new Worker(renderedConfig, codeOnly));
  }

  /** One record: the JSON object of a JSONL line (or a Parquet row) at input {@code index}. */
  Item compute(long index, String where, byte[] record) {
    Item item = new Item();
    item.index = index;
    item.where = where;
    SkipReport skips = new SkipReport();
    Optional<TextCodePair> parsed = reader.parseLine(record, record.length, where, skips);
    if (parsed.isEmpty()) {
      // A blank line is neither a pair nor a skip.
      item.skipReason = skips.skipped() > 0 ? skips.examples().get(0).reason() : "";
      return item;
    }
    TextCodePair pair = parsed.get();
    item.id = pair.id();
    item.heldOut = HeldOutSplit.isHeldOut(pair, heldOutFraction);
    if (exact) item.exactKey = Deduplicator.exactKey(pair);
    if (minHash != null) item.signature = minHash.signature(pair.code());
    if (decontaminator != null) {
      Decontaminator.Hits hits = decontaminator.hits(pair);
      if (!hits.clean()) {
        item.hitProblems = hits.problems();
        item.hitReasons = hits.reasons();
      }
    }
    try {
      TokenSequence s = RunData.encode(pair, format, tokenizers, codeOnly);
      item.ids = s.ids();
      item.modalities = s.modalityCodes();
      item.prefixIndex = s.prefixIndex();
    } catch (InvalidInputException e) {
      item.rejected = e.getMessage();
    }
    return item;
  }
}

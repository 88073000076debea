package dev.text2code.data.bench;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.data.CorpusHygiene;
import dev.text2code.data.pipeline.PairSource;
import dev.text2code.data.pipeline.StreamingPreparation;
import dev.text2code.objectives.causal.CausalLanguageModel;
import dev.text2code.objectives.packing.PackingOptions;
import dev.text2code.objectives.prepare.PreparationConfig;
import dev.text2code.objectives.prepare.TokenizerFingerprint;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.TiktokenTokenizerFactory;
import dev.text2code.tokenizers.corpus.SkipReport;
import dev.text2code.tokenizers.pairs.PairFormat;
import dev.text2code.tokenizers.pairs.PairLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: the single-JVM streaming preparation of a JSONL pair corpus (p50k tokenizer, paper
 * layout, CLM, 1024-token rows, near-duplicate removal), printing one table row: input MB, pairs,
 * seconds, pairs/s, exact/near duplicates removed, rows, and the peak RSS of this JVM (VmHWM).
 *
 * <p>usage: {@code PrepareBench CORPUS.jsonl OUTPUT_DIR [dedup-mode]}; see {@code
 * benchmarks/data/run.sh}.
 */
public final class PrepareBench {
  private PrepareBench() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String mode = args.length > 2 ? args[2] : "near";
    Tokenizer tokenizer =
        PairFormat.withPaperTokens(new TiktokenTokenizerFactory().create(Settings.empty()));
    PairFormat format = new PairFormat(tokenizer, PairLayout.parse("comments-then-code"), false);
    IdentityRouter router = new IdentityRouter(tokenizer.vocabularySize());
    PackingOptions packing =
        new PackingOptions(
            1024, tokenizer.specialTokenId(SpecialTokens.PAD), PackingOptions.Overflow.DROP);
    String hash = TokenizerFingerprint.of(tokenizer);
    CorpusHygiene hygiene =
        CorpusHygiene.fromSettings(Settings.of(Map.of("data.dedup.mode", mode)));
    SkipReport skips = new SkipReport();
    long start = System.nanoTime();
    var result =
        StreamingPreparation.prepare(
            () -> PairSource.stream(corpus, "python3", skips),
            p -> router.route(format.format(p)),
            new CausalLanguageModel(),
            new PreparationConfig(
                out.resolve("train"), 1234, 0, packing, 512, tokenizer.name(), hash),
            new PreparationConfig(
                out.resolve("held-out"), 1234, 0, packing, 512, tokenizer.name(), hash),
            0.05,
            hygiene,
            out);
    double seconds = (System.nanoTime() - start) / 1e9;
    long pairs = result.report().pairsRead();
    System.out.printf(
        Locale.ROOT,
        "| %.0f MB | %d | %.1f | %.0f | %d | %d | %d | %d MB |%n",
        Files.size(corpus) / 1e6,
        pairs,
        seconds,
        pairs / seconds,
        result.report().dedup().exactDuplicates(),
        result.report().dedup().nearDuplicates(),
        result.train().rows() + result.heldOut().rows(),
        peakRssKb() / 1024);
  }

  private static long peakRssKb() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    return -1;
  }
}

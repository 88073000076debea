package dev.text2code.cli;

import dev.text2code.api.TextCodePair;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.run.CorpusLoader;
import dev.text2code.cli.run.RunLayout;
import dev.text2code.tokenizers.corpus.PairCorpusWriter;
import dev.text2code.tokenizers.corpus.SkipReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --corpus PATH} option of the commands that read a corpus (picocli mixin). */
final class CorpusOption {
  @Option(
      names = "--corpus",
      paramLabel = "PATH",
      description = "Corpus file or directory (overrides data.corpus).")
  Path corpus;

  /**
   * The configured corpus (the local standard library when none is set), capped at data.max-pairs.
   * The pairs are kept in the run directory ({@code corpus.jsonl}), so a resumed or repeated run
   * reads them back instead of extracting again.
   */
  List<TextCodePair> read(SdkConfig config, RunLayout layout, PrintWriter out) {
    Path override = corpus;
    if (override == null && Files.isRegularFile(layout.corpus())) {
      List<TextCodePair> pairs = CorpusLoader.load(layout.corpus(), "python3", new SkipReport());
      out.printf(
          "corpus %s: %d pairs (kept from an earlier start of this run)%n",
          layout.corpus(), pairs.size());
      out.flush();
      return pairs;
    }
    String python = config.string("data.python");
    String configured = config.string("data.corpus");
    Path source =
        override != null
            ? override
            : configured.isBlank()
                ? CorpusLoader.pythonStandardLibrary(python)
                : Path.of(configured);
    // Every skipped record goes to the run's rejects file; data.strict stops at the first one.
    Path rejects = layout.root().resolve("rejects.jsonl");
    List<TextCodePair> pairs;
    SkipReport skips = SkipReport.writingTo(rejects, config.flag("data.strict", false));
    try (skips) {
      pairs = CorpusLoader.load(source, python, skips);
    }
    long max = config.integer("data.max-pairs", 0);
    if (max > 0 && pairs.size() > max) pairs = pairs.subList(0, (int) max);
    out.printf(
        "corpus %s: %d pairs, %d records or files skipped%n",
        source, pairs.size(), skips.skipped());
    for (var reason : skips.countsByReason().entrySet()) {
      out.printf("  skipped %d x %s%n", reason.getValue(), reason.getKey());
    }
    skips.examples().stream()
        .limit(5)
        .forEach(skip -> out.printf("  e.g. %s: %s%n", skip.where(), skip.reason()));
    if (skips.skipped() > 0) out.printf("  every skipped record: %s%n", rejects);
    out.flush();
    try {
      Files.createDirectories(layout.root());
      try (PairCorpusWriter writer = new PairCorpusWriter(layout.corpus())) {
        pairs.forEach(writer::write);
      }
    } catch (java.io.IOException e) {
      throw new dev.text2code.api.Text2CodeException(
          "cannot write " + layout.corpus() + ": " + e.getMessage(), e);
    }
    return pairs;
  }
}

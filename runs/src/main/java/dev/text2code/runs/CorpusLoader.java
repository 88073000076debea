package dev.text2code.runs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.TextCodePair;
import dev.text2code.tokenizers.corpus.PairCorpusReader;
import dev.text2code.tokenizers.corpus.PairCorpusWriter;
import dev.text2code.tokenizers.corpus.PythonPairExtractor;
import dev.text2code.tokenizers.corpus.SkipReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a training corpus: a JSON/JSONL file of pairs (paper, CoNaLa or MBPP fields), or a
 * directory of Python sources from which docstring–function pairs are extracted with Python's own
 * parser.
 */
public final class CorpusLoader {
  private CorpusLoader() {}

  /** Every good pair; bad records and unparsable files are counted in {@code skips}. */
  public static List<TextCodePair> load(Path source, String python, SkipReport skips) {
    refuseParquet(source);
    List<TextCodePair> pairs = new ArrayList<>();
    if (Files.isDirectory(source)) {
      try (PythonPairExtractor extractor = new PythonPairExtractor(python)) {
        extractor.extractTree(source, skips, pairs::add);
      }
    } else if (Files.isRegularFile(source)) {
      new PairCorpusReader().read(source, skips, pairs::add);
    } else {
      throw new ConfigurationException(
          "data.corpus = "
              + source
              + " does not exist; give a .json/.jsonl(.gz) pair file or a directory of "
              + "Python sources");
    }
    return pairs;
  }

  /**
   * The corpus of a run: {@code override} when given, else {@code data.corpus}, else the local
   * Python standard library; capped at {@code data.max-pairs}. The pairs are kept in the run
   * directory ({@code corpus.jsonl}), so a resumed or repeated run reads them back instead of
   * extracting again.
   */
  public static List<TextCodePair> forRun(
      Settings config, Optional<Path> override, RunLayout layout, RunListener listener) {
    if (override.isEmpty() && Files.isRegularFile(layout.corpus())) {
      List<TextCodePair> pairs = load(layout.corpus(), "python3", new SkipReport());
      listener.report(
          String.format(
              "corpus %s: %d pairs (kept from an earlier start of this run)",
              layout.corpus(), pairs.size()));
      return pairs;
    }
    String python = config.string("data.python");
    Path source = configuredSource(config, override).orElseGet(() -> pythonStandardLibrary(python));
    // Every skipped record goes to the run's rejects file; data.strict stops at the first one.
    Path rejects = layout.root().resolve("rejects.jsonl");
    List<TextCodePair> pairs;
    SkipReport skips = SkipReport.writingTo(rejects, config.flag("data.strict", false));
    try (skips) {
      pairs = load(source, python, skips);
    }
    long max = config.integer("data.max-pairs", 0);
    if (max > 0 && pairs.size() > max) pairs = pairs.subList(0, (int) max);
    reportCorpus(listener, source, pairs.size(), skips, rejects);
    try {
      Files.createDirectories(layout.root());
      try (PairCorpusWriter writer = new PairCorpusWriter(layout.corpus())) {
        pairs.forEach(writer::write);
      }
    } catch (IOException e) {
      throw new Text2CodeException("cannot write " + layout.corpus() + ": " + e.getMessage(), e);
    }
    return pairs;
  }

  /**
   * {@link #forRun} without holding the corpus: the pairs are streamed from the source into the
   * run's {@code corpus.jsonl} (written under a temporary name and renamed, so a killed start
   * leaves none), capped at {@code data.max-pairs}; returns that file, which the preparation then
   * streams. A run that already has its {@code corpus.jsonl} (and no {@code override}) reads it
   * again.
   */
  public static Path streamForRun(
      Settings config, Optional<Path> override, RunLayout layout, RunListener listener) {
    if (override.isEmpty() && Files.isRegularFile(layout.corpus())) {
      listener.report(
          String.format("corpus %s (kept from an earlier start of this run)", layout.corpus()));
      return layout.corpus();
    }
    String python = config.string("data.python");
    Path source = configuredSource(config, override).orElseGet(() -> pythonStandardLibrary(python));
    refuseParquet(source);
    Path rejects = layout.root().resolve("rejects.jsonl");
    long max = config.integer("data.max-pairs", 0);
    long written = 0;
    Path partial = layout.corpus().resolveSibling(layout.corpus().getFileName() + ".partial");
    SkipReport skips = SkipReport.writingTo(rejects, config.flag("data.strict", false));
    try (skips) {
      Files.createDirectories(layout.root());
      try (PairCorpusWriter writer = new PairCorpusWriter(partial);
          java.util.stream.Stream<TextCodePair> pairs =
              dev.text2code.data.pipeline.PairSource.stream(source, python, skips)) {
        Iterator<TextCodePair> it = pairs.iterator();
        while (it.hasNext() && (max <= 0 || written < max)) {
          writer.write(it.next());
          written++;
        }
      }
      Files.move(partial, layout.corpus(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new Text2CodeException("cannot write " + layout.corpus() + ": " + e.getMessage(), e);
    }
    reportCorpus(listener, source, written, skips, rejects);
    return layout.corpus();
  }

  /**
   * What another preparation engine ({@link PreparationEngine}) reads for a run: a {@code
   * .jsonl(.gz)} or Parquet source as it is; anything else (Python sources, a JSON array, the
   * standard library) is read here first ({@link #forRun}) and the engine reads the run's {@code
   * corpus.jsonl}.
   */
  public static Path forEngine(
      Settings config, Optional<Path> override, RunLayout layout, RunListener listener) {
    Optional<Path> source = configuredSource(config, override);
    if (source.isPresent()) {
      Path s = source.get();
      String name = s.getFileName() == null ? "" : s.getFileName().toString();
      if (Files.isRegularFile(s)
          && (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".parquet"))) {
        return s;
      }
      if (isParquetDirectory(s)) return s;
    }
    forRun(config, override, layout, listener);
    return layout.corpus();
  }

  /** The corpus named by {@code override} or {@code data.corpus}; empty for the default. */
  private static Optional<Path> configuredSource(Settings config, Optional<Path> override) {
    String configured = config.string("data.corpus");
    if (override.isPresent() || configured.isBlank()) return override;
    return Optional.of(Path.of(configured));
  }

  /** What a run prints about its corpus: pairs, skips per reason, the first places, the file. */
  private static void reportCorpus(
      RunListener listener, Path source, long pairs, SkipReport skips, Path rejects) {
    listener.report(
        String.format(
            "corpus %s: %d pairs, %d records or files skipped", source, pairs, skips.skipped()));
    for (var reason : skips.countsByReason().entrySet()) {
      listener.report(String.format("  skipped %d x %s", reason.getValue(), reason.getKey()));
    }
    skips.examples().stream()
        .limit(5)
        .forEach(
            skip -> listener.report(String.format("  e.g. %s: %s", skip.where(), skip.reason())));
    if (skips.skipped() > 0) listener.report("  every skipped record: " + rejects);
  }

  private static boolean isParquetDirectory(Path source) {
    if (!Files.isDirectory(source)) return false;
    try (var files = Files.list(source)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new Text2CodeException("cannot list " + source + ": " + e.getMessage(), e);
    }
  }

  private static void refuseParquet(Path source) {
    boolean parquet =
        (Files.isRegularFile(source) && source.getFileName().toString().endsWith(".parquet"))
            || isParquetDirectory(source);
    if (parquet) {
      throw new ConfigurationException(
          "data.corpus = "
              + source
              + " is Parquet, which this JVM's engine does not read; prepare it with --engine"
              + " spark (data.engine = spark, the data-spark module)");
    }
  }

  /** The local Python standard library, found by asking the interpreter. */
  public static Path pythonStandardLibrary(String python) {
    try {
      Process p =
          new ProcessBuilder(
                  python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
              .redirectErrorStream(true)
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .strip();
      if (p.waitFor() != 0 || !Files.isDirectory(Path.of(out))) {
        throw new ConfigurationException(
            python + " did not report a standard library directory: " + out);
      }
      return Path.of(out);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot run " + python + " to locate the standard library: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigurationException("interrupted while locating the Python standard library");
    }
  }
}

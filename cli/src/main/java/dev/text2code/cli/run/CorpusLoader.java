package dev.text2code.cli.run;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.TextCodePair;
import dev.text2code.tokenizers.corpus.PairCorpusReader;
import dev.text2code.tokenizers.corpus.PythonPairExtractor;
import dev.text2code.tokenizers.corpus.SkipReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a training corpus: a JSON/JSONL file of pairs (paper, CoNaLa or MBPP fields), or a
 * directory of Python sources from which docstring–function pairs are extracted with Python's own
 * parser.
 */
public final class CorpusLoader {
  private CorpusLoader() {}

  /** Every good pair; bad records and unparsable files are counted in {@code skips}. */
  public static List<TextCodePair> load(Path source, String python, SkipReport skips) {
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
    } catch (java.io.IOException e) {
      throw new ConfigurationException(
          "cannot run " + python + " to locate the standard library: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigurationException("interrupted while locating the Python standard library");
    }
  }
}

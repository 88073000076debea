package dev.text2code.tokenizers.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.TextCodePair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds a corpus from real code: the json and email packages of the local standard library. */
class StdlibExtractionIT {
  private static Path stdlib() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assumeTrue(p.waitFor() == 0 && Files.isDirectory(Path.of(out)), "python3 stdlib not found");
    return Path.of(out);
  }

  @Test
  void extractsWritesAndReadsBackACorpus(@TempDir Path dir) throws Exception {
    Path stdlib = stdlib();
    SkipReport skips = new SkipReport();
    Path corpus = dir.resolve("stdlib-pairs.jsonl");
    List<TextCodePair> extracted = new ArrayList<>();
    try (PythonPairExtractor extractor = new PythonPairExtractor();
        PairCorpusWriter writer = new PairCorpusWriter(corpus)) {
      for (String pkg : List.of("json", "email")) {
        extractor.extractTree(
            stdlib.resolve(pkg),
            skips,
            pair -> {
              extracted.add(pair);
              writer.write(pair);
            });
      }
    }
    assertTrue(extracted.size() > 150, "only " + extracted.size() + " pairs\n" + skips.summary());
    for (TextCodePair pair : extracted) {
      String code = pair.code();
      assertTrue(code.startsWith("def ") || code.startsWith("async def "), pair.id() + ": " + code);
      assertTrue(!code.contains(pair.text()) || pair.text().length() < 20, pair.id());
    }
    SkipReport again = new SkipReport();
    List<TextCodePair> read = new ArrayList<>();
    new PairCorpusReader().read(corpus, again, read::add);
    assertEquals(extracted, read);
    assertEquals(0, again.skipped());
  }
}

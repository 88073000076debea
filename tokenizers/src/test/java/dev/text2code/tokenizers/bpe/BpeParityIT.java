package dev.text2code.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.tokenizers.Fixtures;
import dev.text2code.tokenizers.hf.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On more than 1 MB of real Python source (the local standard library), the Java encoder gives the
 * Rust library's ids, for a tokenizer our trainer wrote and for the real Qwen3 tokenizer.
 */
class BpeParityIT {
  private static final long MEGABYTE = 1 << 20;
  private static List<Path> files;
  private static List<String> sources;

  /** The Python standard library folder, asked from python3 itself. */
  static Optional<Path> pythonStdlib() {
    try {
      Process p =
          new ProcessBuilder(
                  "python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) return Optional.empty();
      Path dir = Path.of(out);
      return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Sorted .py files of the stdlib (no tests, no site-packages) up to {@code bytes} of UTF-8. */
  static void readCorpus(Path stdlib, long bytes) throws IOException {
    files = new ArrayList<>();
    sources = new ArrayList<>();
    List<Path> all;
    try (Stream<Path> walk = Files.walk(stdlib)) {
      all =
          walk.filter(p -> p.toString().endsWith(".py"))
              .filter(p -> !p.toString().contains("site-packages"))
              .sorted()
              .toList();
    }
    long total = 0;
    for (Path p : all) {
      byte[] raw = Files.readAllBytes(p);
      try {
        sources.add(
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString());
      } catch (CharacterCodingException e) {
        continue; // a few test files are deliberately not UTF-8
      }
      files.add(p);
      total += raw.length;
      if (total >= bytes) return;
    }
  }

  @BeforeAll
  static void corpus() throws IOException {
    Optional<Path> stdlib = pythonStdlib();
    assumeTrue(stdlib.isPresent(), "python3 with a standard library is needed for the corpus");
    readCorpus(stdlib.get(), 2 * MEGABYTE);
  }

  private static void assertSameIds(Path tokenizerFile) {
    ByteLevelBpeTokenizer java = ByteLevelBpeTokenizer.load(tokenizerFile);
    HuggingFaceTokenizer rust = HuggingFaceTokenizer.load(tokenizerFile);
    long bytes = 0;
    long tokens = 0;
    for (int i = 0; i < sources.size(); i++) {
      int[] expected = rust.encode(sources.get(i)).toArray();
      int[] actual = java.encodeToArray(sources.get(i));
      if (!Arrays.equals(expected, actual)) {
        int at = Arrays.mismatch(expected, actual);
        throw new AssertionError(
            files.get(i)
                + ": ids differ from the Rust encoder at token "
                + at
                + " (rust "
                + (at < expected.length ? rust.tokenOf(expected[at]) : "<end>")
                + ", java "
                + (at < actual.length ? java.tokenOf(actual[at]) : "<end>")
                + ")");
      }
      bytes += sources.get(i).getBytes(StandardCharsets.UTF_8).length;
      tokens += expected.length;
    }
    assertTrue(bytes >= MEGABYTE, "only " + bytes + " bytes of Python source compared");
    assertTrue(tokens > bytes / 10, "suspiciously few tokens: " + tokens);
  }

  @Test
  void trainedTokenizerMatchesRust(@TempDir Path dir) {
    // Trained on the first half, compared on all of it: unseen text exercises rare merges too.
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(8000, List.of("<|endoftext|>")));
    Path file =
        trainer.write(
            trainer.train(sources.subList(0, sources.size() / 2)), dir.resolve("tokenizer.json"));
    assertEquals(8000, ByteLevelBpeTokenizer.load(file).vocabularySize());
    assertSameIds(file);
  }

  @Test
  void qwen3MatchesRust() {
    Optional<Path> qwen = Fixtures.qwen3();
    assumeTrue(
        qwen.isPresent(),
        "shared data tokenizers/qwen3/tokenizer.json.gz not found (set -Dt2c.shared.data)");
    assertSameIds(qwen.get());
  }
}

package dev.text2code.tokenizers;

import dev.text2code.tokenizers.bpe.BpeTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Test fixtures: the shipped Python files, a tokenizer trained on them, the shared data folder. */
public final class Fixtures {
  private static Path trained;

  private Fixtures() {}

  public static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The contents of every shipped .py fixture that parses, sorted by path. */
  public static List<String> pythonSources() {
    try (Stream<Path> files = Files.walk(resource("python"))) {
      List<String> texts = new ArrayList<>();
      for (Path p :
          files
              .filter(p -> p.toString().endsWith(".py") && !p.endsWith("broken.py"))
              .sorted()
              .toList()) {
        texts.add(Files.readString(p));
      }
      return texts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 500-id tokenizer.json trained on the fixtures, with {@code <|endoftext|>} (written once). */
  public static synchronized Path trainedTokenizer() {
    if (trained == null) {
      try {
        Path dir = Files.createTempDirectory("t2c-tokenizer");
        dir.toFile().deleteOnExit();
        BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(500, List.of("<|endoftext|>")));
        trained = trainer.write(trainer.train(pythonSources()), dir.resolve("tokenizer.json"));
        trained.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return trained;
  }

  /** The shared data folder from {@code -Dt2c.shared.data}, when it exists. */
  public static Optional<Path> sharedData() {
    String dir = System.getProperty("t2c.shared.data");
    if (dir == null || !Files.isDirectory(Path.of(dir))) return Optional.empty();
    return Optional.of(Path.of(dir));
  }

  /** The Qwen3 tokenizer shipped in the shared data, when present. */
  public static Optional<Path> qwen3() {
    return sharedData()
        .map(d -> d.resolve("tokenizers/qwen3/tokenizer.json.gz"))
        .filter(Files::isRegularFile);
  }
}

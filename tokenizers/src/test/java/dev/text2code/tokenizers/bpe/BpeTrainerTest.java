package dev.text2code.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.tokenizers.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
  @Test
  void sameCorpusGivesByteIdenticalFiles(@TempDir Path dir) throws IOException {
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(600, List.of("<eot>")));
    Path a = trainer.write(trainer.train(Fixtures.pythonSources()), dir.resolve("a.json"));
    Path b = trainer.write(trainer.train(Fixtures.pythonSources()), dir.resolve("b.json"));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void learnsTheMostFrequentPairFirst() {
    BpeTrainer trainer = new BpeTrainer(new BpeTrainer.Options(260, List.of(), 1, "\\S+|\\s+"));
    BpeTrainer.Result result = trainer.train(List.of("abab ab ab xy"));
    assertEquals("a", result.merges().get(0)[0]);
    assertEquals("b", result.merges().get(0)[1]);
    assertEquals("ab", result.tokens().get(256));
    assertEquals("abab", result.tokens().get(257));
    assertEquals("xy", result.tokens().get(258));
    assertEquals(259, result.tokens().size()); // no pairs left before the requested 260
  }

  @Test
  void stopsWhenNoPairIsFrequentEnough() {
    BpeTrainer trainer = new BpeTrainer(new BpeTrainer.Options(1000, List.of(), 2, "\\S+|\\s+"));
    BpeTrainer.Result result = trainer.train(List.of("abcdef"));
    assertEquals(256, result.tokens().size());
  }

  @Test
  void specialTokensAreNotLearnedAndGetTheLastIds() {
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(300, List.of("<sep>")));
    BpeTrainer.Result result = trainer.train(List.of("<sep><sep><sep> <sep>x<sep>"));
    assertTrue(
        result.tokens().stream().noneMatch(t -> t.contains("sep")), result.tokens().toString());
    assertEquals(List.of("<sep>"), result.specialTokens());
  }

  @Test
  void trainsOnFilesAndCountsUnreadableOnes(@TempDir Path dir) throws IOException {
    Path latin1 = dir.resolve("latin1.py");
    Files.write(latin1, new byte[] {'x', '=', '"', (byte) 0xe9, '"', '\n'});
    List<Path> files =
        new java.util.ArrayList<>(
            dev.text2code.tokenizers.corpus.PythonPairExtractor.pythonFiles(
                Fixtures.resource("python")));
    files.add(latin1);
    var skips = new dev.text2code.tokenizers.corpus.SkipReport();
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(400, List.of()));
    BpeTrainer.Result result = trainer.trainOnFiles(files, skips);
    assertEquals(400, result.tokens().size());
    assertEquals(1, skips.countsByReason().get("invalid UTF-8"));
    assertEquals(3, skips.accepted());
  }

  @Test
  void rejectsTooSmallVocabularies() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> BpeTrainer.Options.of(100, List.of()));
    assertTrue(e.getMessage().contains("vocabularySize = 100"));
  }
}

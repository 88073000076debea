package dev.text2code.objectives.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.ExampleSeeds;
import dev.text2code.objectives.Sequences;
import dev.text2code.objectives.packing.PackingOptions;
import dev.text2code.objectives.span.SpanCorruptionObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedDatasetTest {
  private static final Objective OBJECTIVE =
      SpanCorruptionObjective.create(
          Sequences.TOKENIZER, Settings.empty(), SpanCorruptionObjective.Form.DECODER_ONLY);
  private static final int PAD = Sequences.TOKENIZER.specialTokenId("<pad>");
  private static final int ROW = 64;

  private static List<TokenSequence> corpus(int n) {
    List<TokenSequence> out = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      List<Integer> text = new ArrayList<>();
      List<Integer> code = new ArrayList<>();
      for (int k = 1 + r.nextInt(15); k > 0; k--) text.add('a' + r.nextInt(26));
      for (int k = 1 + r.nextInt(30); k > 0; k--) code.add('a' + r.nextInt(26));
      out.add(Sequences.pair(text, code));
    }
    return out;
  }

  private static PreparedDataset prepare(Path dir, List<TokenSequence> corpus) {
    DataPreparer.prepare(
        new PreparationConfig(
            dir,
            3,
            0,
            new PackingOptions(ROW, PAD, PackingOptions.Overflow.DROP),
            5,
            Sequences.TOKENIZER.name(),
            TokenizerFingerprint.of(Sequences.TOKENIZER)),
        OBJECTIVE,
        corpus.iterator());
    return PreparedDataset.open(dir);
  }

  @Test
  void theLazyViewHoldsTheSameRowsAsReadingEverything(@TempDir Path dir) {
    PreparedDataset data = prepare(dir, corpus(150));
    List<TrainingExample> all = data.readAll();
    List<TrainingExample> lazy = data.rows();
    assertTrue(data.manifest().shards().size() > 2, "several shards");
    assertEquals(all.size(), lazy.size());
    // Out of order, as shuffled batches read them.
    for (int i = all.size() - 1; i >= 0; i -= 3) assertEquals(all.get(i), lazy.get(i));
    assertEquals(all, lazy);
    assertThrows(IndexOutOfBoundsException.class, () -> lazy.get(all.size()));
  }

  @Test
  void paddingIsTheCellsNoPackedExampleFills(@TempDir Path dir) {
    List<TokenSequence> corpus = corpus(90);
    PreparedDataset data = prepare(dir, corpus);
    long used = 0;
    for (int i = 0; i < corpus.size(); i++) {
      int length = OBJECTIVE.apply(corpus.get(i), ExampleSeeds.generator(3, 0, i)).length();
      if (length <= ROW) used += length;
    }
    assertEquals(data.manifest().rows() * ROW - used, data.paddingTokens());
  }

  @Test
  void aTruncatedShardFileIsReportedByName(@TempDir Path dir) throws Exception {
    PreparedDataset data = prepare(dir, corpus(40));
    Path labels = dir.resolve("shard-00000.labels.npy");
    byte[] bytes = Files.readAllBytes(labels);
    Files.write(labels, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    var e = assertThrows(InvalidInputException.class, () -> data.rows().get(0));
    assertTrue(e.getMessage().contains("shard-00000.labels.npy"), e.getMessage());
  }
}

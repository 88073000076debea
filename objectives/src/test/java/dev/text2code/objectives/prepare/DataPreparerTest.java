package dev.text2code.objectives.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.ExampleSeeds;
import dev.text2code.objectives.Sequences;
import dev.text2code.objectives.packing.Packer;
import dev.text2code.objectives.packing.PackingOptions;
import dev.text2code.objectives.span.SpanCorruptionObjective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPreparerTest {
  private static final Objective OBJECTIVE =
      SpanCorruptionObjective.create(
          Sequences.TOKENIZER, Settings.empty(), SpanCorruptionObjective.Form.DECODER_ONLY);
  private static final int PAD = Sequences.TOKENIZER.specialTokenId("<pad>");

  private static List<TokenSequence> corpus(int n) {
    List<TokenSequence> out = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(99);
    for (int i = 0; i < n; i++) {
      List<Integer> text = new ArrayList<>();
      List<Integer> code = new ArrayList<>();
      for (int k = r.nextInt(20); k > 0; k--) text.add('a' + r.nextInt(26));
      for (int k = r.nextInt(i % 7 == 0 ? 90 : 40); k > 0; k--) code.add('a' + r.nextInt(26));
      out.add(Sequences.pair(text, code));
    }
    return out;
  }

  private static PreparationConfig config(Path dir, long seed) {
    return new PreparationConfig(
        dir,
        seed,
        0,
        new PackingOptions(64, PAD, PackingOptions.Overflow.DROP),
        7,
        Sequences.TOKENIZER.name(),
        TokenizerFingerprint.of(Sequences.TOKENIZER));
  }

  private static List<byte[]> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> paths = s.sorted().toList();
      List<byte[]> out = new ArrayList<>();
      for (Path p : paths) {
        out.add(p.getFileName().toString().getBytes());
        out.add(Files.readAllBytes(p));
      }
      return out;
    }
  }

  @Test
  void shardsHoldExactlyThePackedExamplesAndTheManifestCountsThem(@TempDir Path dir) {
    List<TokenSequence> corpus = corpus(200);
    Manifest m = DataPreparer.prepare(config(dir, 5), OBJECTIVE, corpus.iterator());
    assertTrue(m.complete());
    assertEquals(200, m.examplesRead());
    assertEquals(200, m.examplesPacked() + m.examplesDropped());
    assertTrue(m.examplesDropped() > 0, "the long examples are dropped");
    assertEquals(m.rows(), m.shards().stream().mapToInt(Manifest.Shard::rows).sum());
    // Rebuild the rows in memory and compare with shard 0.
    List<TrainingExample> expected = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      expected.add(OBJECTIVE.apply(corpus.get(i), ExampleSeeds.generator(5, 0, i)));
    }
    Iterator<dev.text2code.objectives.packing.PackedRow> rows =
        Packer.pack(expected.iterator(), new PackingOptions(64, PAD, PackingOptions.Overflow.DROP));
    Npy.Array2d inputs = Npy.read(dir.resolve("shard-00000.inputs.npy"));
    Npy.Array2d labels = Npy.read(dir.resolve("shard-00000.labels.npy"));
    Npy.Array2d segments = Npy.read(dir.resolve("shard-00000.segments.npy"));
    Npy.Array2d prefixes = Npy.read(dir.resolve("shard-00000.prefix_lengths.npy"));
    Npy.Array2d modalities = Npy.read(dir.resolve("shard-00000.target_modalities.npy"));
    assertEquals(7, inputs.rows());
    assertEquals(64, inputs.columns());
    assertEquals("|u1", modalities.descr());
    for (int r = 0; r < 7; r++) {
      TrainingExample row = rows.next().row();
      for (int c = 0; c < 64; c++) {
        assertEquals(row.inputId(c), inputs.get(r, c));
        assertEquals(row.label(c), labels.get(r, c));
        assertEquals(row.attention().segmentOf(c), segments.get(r, c));
        assertEquals(row.targetModalities()[c], modalities.get(r, c));
      }
      int[] p = row.attention().prefixLengths();
      for (int s = 0; s < p.length; s++) assertEquals(p[s], prefixes.get(r, s));
    }
  }

  @Test
  void sameSeedGivesByteIdenticalOutputAndAnotherSeedDoesNot(
      @TempDir Path a, @TempDir Path b, @TempDir Path c) throws IOException {
    List<TokenSequence> corpus = corpus(120);
    DataPreparer.prepare(config(a, 1), OBJECTIVE, corpus.iterator());
    DataPreparer.prepare(config(b, 1), OBJECTIVE, corpus.iterator());
    DataPreparer.prepare(config(c, 2), OBJECTIVE, corpus.iterator());
    List<byte[]> fa = files(a);
    List<byte[]> fb = files(b);
    assertEquals(fa.size(), fb.size());
    for (int i = 0; i < fa.size(); i++) assertArrayEquals(fa.get(i), fb.get(i));
    assertTrue(
        !Arrays.equals(
            Files.readAllBytes(a.resolve("shard-00000.inputs.npy")),
            Files.readAllBytes(c.resolve("shard-00000.inputs.npy"))));
  }

  /** Stops with an exception after {@code limit} items, like a killed process. */
  private static Iterator<TokenSequence> crashingAfter(List<TokenSequence> corpus, int limit) {
    Iterator<TokenSequence> it = corpus.iterator();
    return new Iterator<>() {
      int served;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public TokenSequence next() {
        if (served++ == limit) throw new IllegalStateException("killed");
        return it.next();
      }
    };
  }

  @Test
  void aKilledRunResumesToTheSameBytes(@TempDir Path whole, @TempDir Path resumed)
      throws IOException {
    List<TokenSequence> corpus = corpus(300);
    DataPreparer.prepare(config(whole, 3), OBJECTIVE, corpus.iterator());
    for (int limit : new int[] {37, 38, 150, 151}) {
      assertThrows(
          IllegalStateException.class,
          () -> DataPreparer.prepare(config(resumed, 3), OBJECTIVE, crashingAfter(corpus, limit)));
      Manifest partial = DataPreparer.readManifest(resumed).orElseThrow();
      assertTrue(!partial.complete());
    }
    DataPreparer.prepare(config(resumed, 3), OBJECTIVE, corpus.iterator());
    List<byte[]> fa = files(whole);
    List<byte[]> fb = files(resumed);
    assertEquals(fa.size(), fb.size());
    for (int i = 0; i < fa.size(); i++) assertArrayEquals(fa.get(i), fb.get(i));
  }

  @Test
  void resumingWithOtherSettingsIsRefusedNamingTheField(@TempDir Path dir) {
    List<TokenSequence> corpus = corpus(50);
    assertThrows(
        IllegalStateException.class,
        () -> DataPreparer.prepare(config(dir, 3), OBJECTIVE, crashingAfter(corpus, 40)));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> DataPreparer.prepare(config(dir, 4), OBJECTIVE, corpus.iterator()));
    assertTrue(e.getMessage().contains("seed = 3"), e.getMessage());
  }

  @Test
  void numpyReadsTheShards(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        new ProcessBuilder("python3", "-c", "import numpy").start().waitFor() == 0,
        "python3 with numpy is not installed");
    DataPreparer.prepare(config(dir, 5), OBJECTIVE, corpus(100).iterator());
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import numpy as np, sys, json\n"
                    + "d = sys.argv[1]\n"
                    + "m = json.load(open(d + '/manifest.json'))\n"
                    + "x = np.load(d + '/shard-00000.inputs.npy')\n"
                    + "y = np.load(d + '/shard-00000.labels.npy')\n"
                    + "t = np.load(d + '/shard-00000.target_modalities.npy')\n"
                    + "print(x.dtype, x.shape, y.dtype, t.dtype, int((y != -100).sum()) > 0,"
                    + " m['rows'])",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes()).trim();
    Manifest m = DataPreparer.readManifest(dir).orElseThrow();
    assertEquals("int32 (7, 64) int32 uint8 True " + m.rows(), out);
  }
}

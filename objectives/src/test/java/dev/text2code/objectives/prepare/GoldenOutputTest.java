package dev.text2code.objectives.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.objectives.ExampleSeeds;
import dev.text2code.objectives.Sequences;
import dev.text2code.objectives.packing.PackingOptions;
import dev.text2code.objectives.span.SpanCorruptionObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins seeds and prepared bytes: if one of these changes, data prepared earlier can no longer be
 * reproduced from its seed, which must be a deliberate, announced change.
 */
class GoldenOutputTest {
  @Test
  void exampleSeedsArePinnedAndDistinct() {
    assertEquals(PINNED_SEED, ExampleSeeds.seed(1234, 0, 0));
    Set<Long> seen = new HashSet<>();
    for (long e = 0; e < 4; e++)
      for (long i = 0; i < 1000; i++) seen.add(ExampleSeeds.seed(1234, e, i));
    assertEquals(4000, seen.size());
  }

  private static final long PINNED_SEED = -7789521419105026545L;

  @Test
  void preparedShardsArePinned(@TempDir Path dir) throws Exception {
    List<TokenSequence> corpus = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      List<Integer> text = new ArrayList<>();
      List<Integer> code = new ArrayList<>();
      for (int k = 0; k < 3 + i % 5; k++) text.add('a' + (i * 7 + k) % 26);
      for (int k = 0; k < 10 + i % 13; k++) code.add('a' + (i * 11 + k * 3) % 26);
      corpus.add(Sequences.pair(text, code));
    }
    DataPreparer.prepare(
        new PreparationConfig(
            dir,
            1234,
            0,
            new PackingOptions(
                48, Sequences.TOKENIZER.specialTokenId("<pad>"), PackingOptions.Overflow.DROP),
            8,
            Sequences.TOKENIZER.name(),
            TokenizerFingerprint.of(Sequences.TOKENIZER)),
        SpanCorruptionObjective.create(
            Sequences.TOKENIZER, Settings.empty(), SpanCorruptionObjective.Form.DECODER_ONLY),
        corpus.iterator());
    assertEquals(PINNED_INPUTS, sha256(dir.resolve("shard-00000.inputs.npy")));
    assertEquals(PINNED_MANIFEST, sha256(dir.resolve("manifest.json")));
  }

  private static final String PINNED_INPUTS =
      "63a47b139c96b1ffd44537aa03734c464b86d105653c051fc5886c4e13909034";
  private static final String PINNED_MANIFEST =
      "89d095b6f9a7869a4902e3b9db99549dd8b57d0edb86b858d9ada0a23db43dd7";

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}

package dev.text2code.it;

import static dev.text2code.it.Fixtures.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.Modality;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.it.Fixtures.Run;
import dev.text2code.models.hf.HuggingFaceExport;
import dev.text2code.models.hf.HuggingFaceImport;
import dev.text2code.runs.SeparationGrowth;
import dev.text2code.tokenizers.routing.RouterFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continued pre-training ({@code train --init}): a model trained without separation is trained on
 * with partial separation, its embeddings grown by copied replica rows (METHODS.md §1.3).
 */
class ContinuedPretrainingIT {
  @TempDir Path temp;

  private Path pairs() throws Exception {
    Path file = temp.resolve("pairs.jsonl");
    if (!Files.exists(file)) {
      try (var in = getClass().getResourceAsStream("/pairs.jsonl")) {
        Files.copy(in, file);
      }
    }
    return file;
  }

  /** Trains {@code run} for 4 steps with the tiny BPE; {@code more} are extra arguments. */
  private Run train(Path run, String backend, String separation, String... more) throws Exception {
    Path tokenizer = temp.resolve("tokenizer.json");
    if (!Files.exists(tokenizer)) Fixtures.tokenizer(temp);
    String[] base = {
      "--backend",
      backend,
      "--tokenizer",
      "bpe",
      "--set",
      "tokenizers.file=" + tokenizer,
      "--set",
      "separation=" + separation,
      "--set",
      "model.layers=1",
      "--set",
      "model.heads=2",
      "--set",
      "model.width=16",
      "--set",
      "model.context=64",
      "--set",
      "training.max-steps=4",
      "--set",
      "training.batch-size=2",
      "--set",
      "training.warmup-steps=1",
      "--set",
      "training.learning-rate=1e-2",
      "--set",
      "training.eval-interval=2",
      "--set",
      "training.checkpoint-interval=2",
      "--set",
      "data.held-out-fraction=0.2",
      "--set",
      "run.directory=" + run,
      "train",
      "--corpus",
      pairs().toString()
    };
    String[] all = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return cli(all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pytorch", "tensorflow"})
  void initStartsAtStepZeroFromTheSourceAndSeparatesItsEmbeddings(String backend) throws Exception {
    Path source = temp.resolve("source");
    Run first = train(source, backend, "none");
    assertEquals(0, first.exitCode(), first.err() + first.out());
    Checkpoint base = Checkpoint.read(source.resolve("checkpoint"));

    Path run = temp.resolve("continued");
    Run continued = train(run, backend, "partial", "--init", source.toString());
    assertEquals(0, continued.exitCode(), continued.err() + continued.out());
    assertTrue(continued.out().contains("init: step 0 from"), continued.out());
    assertTrue(continued.out().contains("done: 4 steps"), continued.out());
    assertEquals(5, Files.readAllLines(run.resolve("loss.csv")).size(), "4 steps + header");

    Checkpoint trained = Checkpoint.read(run.resolve("checkpoint"));
    assertEquals(4, trained.completedSteps());
    assertEquals(
        Optional.of(source.resolve("checkpoint").toAbsolutePath().normalize().toString()),
        trained.provenance().parentCheckpoint());
    assertEquals(Separation.PARTIAL, trained.spec().separation());
    int width = base.spec().width();
    int rows = base.spec().embeddingRows();
    assertTrue(trained.spec().embeddingRows() > rows, "the embedding grew by the replica rows");
    assertTrue(!trained.router().replicatedRows().isEmpty());
    // after training, the text row of a replicated token differs from its code replica
    float[] wte = trained.weights().get("wte").data();
    long differing =
        trained.router().replicatedRows().entrySet().stream()
            .filter(e -> e.getKey() < rows)
            .filter(
                e ->
                    !Arrays.equals(
                        Arrays.copyOfRange(wte, e.getKey() * width, (e.getKey() + 1) * width),
                        Arrays.copyOfRange(wte, e.getValue() * width, (e.getValue() + 1) * width)))
            .count();
    assertTrue(differing > 0, "no replica row moved away from its original");

    // a run that has a checkpoint resumes; the same --init again is the same run resumed
    Run again = train(run, backend, "partial", "--init", source.toString());
    assertEquals(0, again.exitCode(), again.err() + again.out());
    assertEquals(4, Checkpoint.read(run.resolve("checkpoint")).completedSteps());
  }

  @Test
  void initOnARunThatHasItsOwnCheckpointIsAnError() throws Exception {
    Path source = temp.resolve("source");
    assertEquals(0, train(source, "pytorch", "none").exitCode());
    Path other = temp.resolve("other");
    assertEquals(0, train(other, "pytorch", "none").exitCode());
    byte[] before = Files.readAllBytes(other.resolve("checkpoint/model.safetensors"));
    Run refused = train(other, "pytorch", "none", "--init", source.toString());
    assertNotEquals(0, refused.exitCode());
    assertTrue(
        refused.err().contains("already has a checkpoint")
            && refused.err().contains("training.init"),
        refused.err());
    assertArrayEquals(before, Files.readAllBytes(other.resolve("checkpoint/model.safetensors")));

    Run missing = train(temp.resolve("third"), "pytorch", "none", "--init", "/nonexistent/dir");
    assertNotEquals(0, missing.exitCode());
    assertTrue(missing.err().contains("training.init = /nonexistent/dir"), missing.err());
  }

  /**
   * Before any step the grown model's logits over the original rows equal the original model's at
   * text and code positions; exported to Hugging Face and imported again it gives the same logits.
   */
  @Test
  void theGrownModelKeepsTheOriginalLogitsAndSurvivesExportAndImport() throws Exception {
    Path source = temp.resolve("source");
    assertEquals(0, train(source, "pytorch", "none").exitCode());
    Path separated = temp.resolve("separated-router");
    assertEquals(0, train(separated, "pytorch", "full").exitCode());
    ModalityRouter router = RouterFiles.load(separated.resolve("router.json"));
    Checkpoint base = Checkpoint.read(source.resolve("checkpoint"));
    Checkpoint grown = SeparationGrowth.grow(base, router, 7);
    assertEquals(router.embeddingRows(), grown.spec().embeddingRows());
    assertEquals(0, grown.completedSteps());
    assertTrue(grown.optimizer().isEmpty());

    int[] text = {5, 17, 40, 99, 120, 7, 64, 33, 250, 18};
    int split = 4; // positions 0..3 are text, the rest code
    int[] original = text.clone();
    int[] routed = text.clone();
    for (int i = split; i < routed.length; i++) routed[i] = router.route(text[i], Modality.CODE);
    assertTrue(!Arrays.equals(original, routed), "the code part routes to replicas");
    int[] positions = new int[text.length];
    for (int i = 0; i < positions.length; i++) positions[i] = i;
    AttentionSpec causal = AttentionSpec.causal(text.length);
    float[][] expected = ReferenceForward.of(base).logits(original, positions, causal);
    float[][] actual = ReferenceForward.of(grown).logits(routed, positions, causal);
    int rows = base.spec().embeddingRows();
    for (int t = 0; t < text.length; t++) {
      for (int v = 0; v < rows; v++) {
        assertEquals(expected[t][v], actual[t][v], 1e-5, "position " + t + ", row " + v);
      }
    }

    Path exported = temp.resolve("hf-export");
    HuggingFaceExport.write(grown, Optional.empty(), Optional.empty(), exported);
    assertTrue(Files.isRegularFile(exported.resolve(HuggingFaceExport.SEPARATION_FILE)));
    Checkpoint reimported = HuggingFaceImport.read(exported).checkpoint();
    float[][] again = ReferenceForward.of(reimported).logits(routed, positions, causal);
    for (int t = 0; t < text.length; t++) {
      for (int v = 0; v < grown.spec().embeddingRows(); v++) {
        assertEquals(actual[t][v], again[t][v], 1e-5, "re-imported: position " + t + ", row " + v);
      }
    }
  }
}

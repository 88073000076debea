package dev.text2code.backend.tensorflow;

import static dev.text2code.models.hf.Fixtures.dir;
import static dev.text2code.models.hf.Fixtures.ints;
import static dev.text2code.models.hf.Fixtures.largestLogitDifference;
import static dev.text2code.models.hf.Fixtures.npy;
import static dev.text2code.models.hf.Fixtures.reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.api.IdentityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.UnsupportedCapabilityException;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.generation.DecodeBatch;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.models.hf.Fixtures;
import dev.text2code.models.hf.HuggingFaceImport;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every Hugging Face family (the hf-tiny fixtures of the models module, written by transformers
 * 4.36.2 and PanGu-α's code) imported and run by this backend: logits at every position within 1e-4
 * of the real code's, its greedy continuation exactly through the key/value cache, Llama's
 * left-padded batch, and training that lowers the loss.
 */
class FamiliesIT {
  /** One fixture per family, and gpt2-fp16: the other weight formats only test the import. */
  static final List<String> FIXTURES =
      Fixtures.ALL.stream()
          .filter(f -> !List.of("gpt2-bf16", "gpt2-sharded", "gpt2-bin").contains(f))
          .toList();

  /** Training needs one fixture per architecture: gpt2-fp16 is gpt2 with rounded weights. */
  static final List<String> ARCHITECTURES =
      FIXTURES.stream().filter(f -> !f.equals("gpt2-fp16")).toList();

  private static final double TOLERANCE = 1e-4;

  static Checkpoint imported(String fixture) {
    assumeTrue(
        Files.isRegularFile(dir(fixture).resolve("config.json")),
        "the models module's hf-tiny fixtures are not next to this module");
    return HuggingFaceImport.read(dir(fixture)).checkpoint();
  }

  static TensorFlowTrainingSession session(Checkpoint c, double learningRate) {
    TrainingConfig config =
        new TrainingConfig(
            3, 2, 1, 10, learningRate, 0.0, 0, 0.0, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
    return new TensorFlowTrainingSession(
        c.spec(), config, c.router(), c.weights(), Map.of(), 0, "imported " + c.spec());
  }

  static TrainingExample causal(int[] ids) {
    int[] labels = Arrays.copyOfRange(ids, 1, ids.length + 1);
    labels[ids.length - 1] = ids[0];
    return TrainingExample.causal(ids, labels, new byte[ids.length]);
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void logitsMatchTheRealCodeAtEveryPosition(String fixture) throws IOException {
    Checkpoint c = imported(fixture);
    double worst;
    try (TensorFlowTrainingSession session = session(c, 1e-3)) {
      worst =
          largestLogitDifference(
              fixture, c.spec().embeddingRows(), ids -> session.logits(causal(ids)));
    }
    assertTrue(worst < TOLERANCE, fixture + ": largest logit difference " + worst);
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void greedyThroughTheCacheEqualsTheRealCode(String fixture) throws IOException {
    Checkpoint c = imported(fixture);
    JsonNode generation = reference(fixture).get("generation");
    int[] prompt = ints(generation.get("prompt_ids"));
    int[] expected = ints(generation.get("new_token_ids"));
    try (TensorFlowStep step = new TensorFlowStep(c, Device.CPU)) {
      int[][] tokens = greedy(step, new int[][] {prompt}, expected.length);
      assertArrayEquals(expected, tokens[0], fixture);
    }
  }

  @Test
  void llamaLeftPaddedBatchMatchesTheRealCode() throws IOException {
    Checkpoint c = imported("llama");
    JsonNode batch = reference("llama").get("batched_left_padding");
    float[] expected = npy(dir("llama").resolve("batched_logits.npy"));
    int vocab = c.spec().embeddingRows();
    int[][] rows = new int[2][];
    int width = batch.get("input_ids").get(0).size();
    for (int r = 0; r < 2; r++) {
      int[] ids = ints(batch.get("input_ids").get(r));
      int[] mask = ints(batch.get("attention_mask").get(r));
      List<Integer> real = new ArrayList<>();
      for (int t = 0; t < ids.length; t++) if (mask[t] != 0) real.add(ids[t]);
      rows[r] = real.stream().mapToInt(Integer::intValue).toArray();
    }
    assertTrue(rows[0].length != rows[1].length, "the fixture's rows are padded");
    try (TensorFlowStep step = new TensorFlowStep(c, Device.CPU);
        DecodeBatch decode = step.prefill(rows, new int[2], 64)) {
      float[] last = decode.logits();
      double worst = 0;
      for (int r = 0; r < 2; r++) {
        for (int v = 0; v < vocab; v++) {
          float want = expected[(r * width + width - 1) * vocab + v];
          worst = Math.max(worst, Math.abs(last[r * vocab + v] - want));
        }
      }
      assertTrue(worst < TOLERANCE, "largest last-position logit difference " + worst);
    }
    try (TensorFlowStep step = new TensorFlowStep(c, Device.CPU)) {
      JsonNode wanted = batch.get("generation").get("new_token_ids");
      int[][] tokens = greedy(step, rows, wanted.get(0).size());
      for (int r = 0; r < 2; r++) assertArrayEquals(ints(wanted.get(r)), tokens[r], "row " + r);
    }
  }

  @ParameterizedTest
  @FieldSource("ARCHITECTURES")
  void trainingLowersTheLoss(String fixture) throws IOException {
    Checkpoint c = imported(fixture);
    JsonNode ref = reference(fixture);
    List<TrainingExample> batch =
        List.of(
            causal(ints(ref.get("input_ids").get(0))), causal(ints(ref.get("input_ids").get(1))));
    try (TensorFlowTrainingSession session = session(c, 3e-3)) {
      double before = session.evaluate(batch);
      for (int s = 0; s < 5; s++) session.step(batch);
      double after = session.evaluate(batch);
      assertTrue(after < before - 0.1, fixture + ": loss " + before + " -> " + after);
    }
  }

  /**
   * The loss and the gradients a training step takes, against the double-precision reference
   * forward (central differences on sampled coordinates of every third parameter).
   */
  @ParameterizedTest
  @FieldSource("ARCHITECTURES")
  void gradientsMatchTheReferenceLoss(String fixture) throws IOException {
    Checkpoint c = imported(fixture);
    JsonNode ref = reference(fixture);
    List<TrainingExample> batch =
        List.of(causal(Arrays.copyOf(ints(ref.get("input_ids").get(0)), 12)));
    List<ParameterLayout.Parameter> layout = ParameterLayout.parameters(c.spec());
    try (TensorFlowTrainingSession session = session(c, 1e-3)) {
      Map<String, Tensor> weights = session.weights();
      float[][] gradients = session.gradients(batch);
      assertEquals(
          Oracle.meanLoss(c.spec(), weights, c.router(), batch), session.evaluate(batch), 1e-4);
      SplittableRandom random = new SplittableRandom(3);
      for (int i = 0; i < layout.size(); i += 3) {
        ParameterLayout.Parameter p = layout.get(i);
        int j = random.nextInt(p.size());
        double numeric = Oracle.finiteDifference(c.spec(), weights, c.router(), p.name(), j, batch);
        assertEquals(
            numeric,
            gradients[i][j],
            2e-4 + 1e-2 * Math.abs(numeric),
            fixture + ": " + p.name() + "[" + j + "]");
      }
    }
  }

  @Test
  void aTopQueryLayerOnGroupedKvHeadsIsRefusedNamingIt() {
    ModelSpec spec =
        new ModelSpec(2, 4, 16, 32, 48, Separation.NONE, 0.0)
            .withArchitecture(
                Architecture.gpt2()
                    .withTopQueryLayer(true)
                    .withAttention(
                        new Architecture.Attention(true, true, true, 2, true, List.of())));
    var e =
        assertThrows(
            UnsupportedCapabilityException.class,
            () ->
                new TensorFlowBackend()
                    .openTraining(spec, TrainingConfig.defaults(1, 2, 1), new IdentityRouter(48)));
    assertTrue(e.getMessage().contains("top query layer"), e.getMessage());
  }

  /** Greedy decoding of left-padded rows through prefill and cached steps. */
  static int[][] greedy(TensorFlowStep step, int[][] rows, int steps) {
    int[][] out = new int[rows.length][steps];
    int vocab = step.spec().embeddingRows();
    try (DecodeBatch batch = step.prefill(rows, new int[rows.length], 64)) {
      for (int s = 0; s < steps; s++) {
        float[] logits = batch.logits();
        int[] next = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
          int best = 0;
          for (int v = 1; v < vocab; v++) {
            if (logits[r * vocab + v] > logits[r * vocab + best]) best = v;
          }
          next[r] = best;
          out[r][s] = best;
        }
        if (s + 1 < steps) batch.step(next);
      }
    }
    return out;
  }
}

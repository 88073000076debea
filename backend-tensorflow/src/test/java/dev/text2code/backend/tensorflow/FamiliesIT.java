package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.text2code.models.hf.HuggingFaceImport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
  static final List<String> FIXTURES =
      List.of(
          "gpt2",
          "gpt2-fp16",
          "gpt_neo",
          "llama",
          "codegen",
          "gpt_neox",
          "gpt_neox-sequential",
          "pangu_alpha",
          "mistral");

  /** Training needs one fixture per architecture: gpt2-fp16 is gpt2 with rounded weights. */
  static final List<String> ARCHITECTURES =
      FIXTURES.stream().filter(f -> !f.equals("gpt2-fp16")).toList();

  private static final double TOLERANCE = 1e-4;
  private static final Path RESOURCES = Path.of("../models/src/test/resources");

  static Path dir(String fixture) {
    Path own = RESOURCES.resolve("hf-tiny").resolve(fixture);
    return Files.isDirectory(own) ? own : RESOURCES.resolve("hf-tiny-peer").resolve(fixture);
  }

  static Checkpoint imported(String fixture) {
    assumeTrue(
        Files.isRegularFile(dir(fixture).resolve("config.json")),
        "the models module's hf-tiny fixtures are not next to this module");
    return HuggingFaceImport.read(dir(fixture)).checkpoint();
  }

  static JsonNode reference(String fixture) throws IOException {
    return new ObjectMapper().readTree(dir(fixture).resolve("reference.json").toFile());
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
    JsonNode ref = reference(fixture);
    float[] expected = npy(dir(fixture).resolve("logits.npy"));
    int vocab = c.spec().embeddingRows();
    double worst = 0;
    try (TensorFlowTrainingSession session = session(c, 1e-3)) {
      for (int row = 0; row < 2; row++) {
        int[] ids = ints(ref.get("input_ids").get(row));
        float[][] logits = session.logits(causal(ids));
        for (int t = 0; t < ids.length; t++) {
          for (int v = 0; v < vocab; v++) {
            worst =
                Math.max(
                    worst, Math.abs(logits[t][v] - expected[(row * ids.length + t) * vocab + v]));
          }
        }
      }
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
        double numeric = finiteDifference(c, weights, p.name(), j, batch);
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

  private static double finiteDifference(
      Checkpoint c,
      Map<String, Tensor> weights,
      String name,
      int index,
      List<TrainingExample> batch) {
    double h = 1e-3;
    Map<String, Tensor> plus = new HashMap<>(weights);
    Map<String, Tensor> minus = new HashMap<>(weights);
    Tensor t = weights.get(name);
    float[] up = t.data().clone();
    float[] down = t.data().clone();
    up[index] += (float) h;
    down[index] -= (float) h;
    double realH = ((double) up[index] - down[index]) / 2;
    plus.put(name, new Tensor(name, t.shape(), up));
    minus.put(name, new Tensor(name, t.shape(), down));
    double lp = Oracle.meanLoss(c.spec(), plus, c.router(), batch);
    double lm = Oracle.meanLoss(c.spec(), minus, c.router(), batch);
    return (lp - lm) / (2 * realH);
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

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
    return out;
  }

  /** A float32 little-endian C-order NPY v1 file, flattened. */
  static float[] npy(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = b.getShort(8) & 0xFFFF;
    String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("'<f4'"), file + ": not float32: " + header);
    b.position(10 + headerLength);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }
}

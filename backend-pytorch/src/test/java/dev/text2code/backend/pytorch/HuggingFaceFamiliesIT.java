package dev.text2code.backend.pytorch;

import static dev.text2code.models.hf.Fixtures.dir;
import static dev.text2code.models.hf.Fixtures.ints;
import static dev.text2code.models.hf.Fixtures.npy;
import static dev.text2code.models.hf.Fixtures.reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.TokenSampler;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.generation.DecodeBatch;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.models.hf.Fixtures;
import dev.text2code.models.hf.HuggingFaceImport;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every Hugging Face fixture of the models module (tiny random checkpoints written by transformers
 * 4.36.2, with its logits and greedy tokens), imported and run on the PyTorch backend: the training
 * forward and the decoder step reproduce the real library's logits and continuations.
 */
class HuggingFaceFamiliesIT {
  static final List<String> FIXTURES = Fixtures.ALL;

  private static final double TOLERANCE = 1e-4;

  static Checkpoint imported(String name) {
    return HuggingFaceImport.read(dir(name)).checkpoint();
  }

  /** Logits {@code [B * T * rows]} of the training forward for rows of equal length. */
  static float[] forward(Checkpoint checkpoint, int[][] ids, int[][] positions, float[] bias) {
    int b = ids.length;
    int n = ids[0].length;
    long[] idl = new long[b * n];
    long[] pl = new long[b * n];
    for (int r = 0; r < b; r++) {
      for (int t = 0; t < n; t++) {
        idl[r * n + t] = ids[r][t];
        pl[r * n + t] = positions[r][t];
      }
    }
    try (NDManager manager = Devices.engine().newBaseManager(ai.djl.Device.cpu());
        GptModel model = GptModel.load(checkpoint.spec(), checkpoint.weights(), manager, false);
        NDScope scope = new NDScope()) {
      NDArray hidden =
          model.hidden(
              manager.create(idl, new Shape(b, n)),
              manager.create(pl, new Shape(b, n)),
              manager.create(bias, new Shape(b, 1, n, n)),
              false);
      return model.logits(hidden).toFloatArray();
    }
  }

  static float[] causal(int rows, int n) {
    float[] one = AttentionMasks.bias(AttentionSpec.causal(n));
    float[] out = new float[rows * n * n];
    for (int r = 0; r < rows; r++) System.arraycopy(one, 0, out, r * n * n, n * n);
    return out;
  }

  static int[] range(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    return p;
  }

  static int argmax(float[] logits, int offset, int rows) {
    int best = 0;
    for (int v = 1; v < rows; v++) if (logits[offset + v] > logits[offset + best]) best = v;
    return best;
  }

  /** Greedy decoding of rows (left-padded by the step) for {@code steps} tokens. */
  static int[][] greedy(Checkpoint checkpoint, int[][] prompts, int steps, boolean kvCache) {
    int rows = checkpoint.spec().embeddingRows();
    int[][] out = new int[prompts.length][steps];
    try (PyTorchStep step = PyTorchStep.of(checkpoint, Device.CPU, kvCache);
        DecodeBatch batch =
            step.prefill(prompts, new int[prompts.length], maxLength(prompts) + steps)) {
      for (int s = 0; s < steps; s++) {
        int[] next = new int[prompts.length];
        for (int r = 0; r < prompts.length; r++) {
          next[r] = argmax(batch.logits(), r * rows, rows);
          out[r][s] = next[r];
        }
        if (s + 1 < steps) batch.step(next);
      }
    }
    return out;
  }

  private static int maxLength(int[][] rows) {
    int max = 0;
    for (int[] r : rows) max = Math.max(max, r.length);
    return max;
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void trainingForwardMatchesTheTransformersLogits(String fixture) {
    Checkpoint checkpoint = imported(fixture);
    JsonNode ref = reference(fixture);
    int[][] ids = {ints(ref.get("input_ids").get(0)), ints(ref.get("input_ids").get(1))};
    int n = ids[0].length;
    float[] actual = forward(checkpoint, ids, new int[][] {range(n), range(n)}, causal(2, n));
    float[] expected = npy(dir(fixture).resolve("logits.npy"));
    assertEquals(expected.length, actual.length, fixture);
    double worst = 0;
    for (int i = 0; i < expected.length; i++)
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    assertTrue(worst < TOLERANCE, fixture + ": largest logit difference " + worst);
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void greedyContinuationWithAndWithoutCacheEqualsTransformers(String fixture) {
    Checkpoint checkpoint = imported(fixture);
    JsonNode generation = reference(fixture).get("generation");
    int[] prompt = ints(generation.get("prompt_ids"));
    int[] expected = ints(generation.get("new_token_ids"));
    assertArrayEquals(
        expected, greedy(checkpoint, new int[][] {prompt}, expected.length, true)[0], fixture);
    assertArrayEquals(
        expected, greedy(checkpoint, new int[][] {prompt}, expected.length, false)[0], fixture);
  }

  @Test
  void llamaLeftPaddedBatchMatchesTransformersInTheForwardAndTheStep() {
    Checkpoint checkpoint = imported("llama");
    JsonNode batch = reference("llama").get("batched_left_padding");
    float[] expected = npy(dir("llama").resolve("batched_logits.npy"));
    int rows = checkpoint.spec().embeddingRows();
    int[][] ids = {ints(batch.get("input_ids").get(0)), ints(batch.get("input_ids").get(1))};
    int[][] masks = {
      ints(batch.get("attention_mask").get(0)), ints(batch.get("attention_mask").get(1))
    };
    int[][] positions = {
      ints(batch.get("position_ids").get(0)), ints(batch.get("position_ids").get(1))
    };
    int n = ids[0].length;
    int[] padding = new int[2];
    int[][] prompts = new int[2][];
    for (int r = 0; r < 2; r++) {
      while (masks[r][padding[r]] == 0) padding[r]++;
      prompts[r] = Arrays.copyOfRange(ids[r], padding[r], n);
    }
    float[] actual =
        forward(checkpoint, ids, positions, AttentionMasks.paddedCausalBias(padding, n, n));
    double worst = 0;
    for (int r = 0; r < 2; r++) {
      for (int t = padding[r]; t < n; t++) { // pad positions are undefined (NaN in transformers)
        for (int v = 0; v < rows; v++) {
          int i = (r * n + t) * rows + v;
          worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
      }
    }
    assertTrue(worst < TOLERANCE, "forward: largest logit difference " + worst);
    // the step left-pads the two prompts itself; its first logits are the last position's
    try (PyTorchStep step = PyTorchStep.of(checkpoint, Device.CPU, true);
        DecodeBatch prefill = step.prefill(prompts, new int[2], n + 1)) {
      double worstStep = 0;
      for (int r = 0; r < 2; r++) {
        for (int v = 0; v < rows; v++) {
          worstStep =
              Math.max(
                  worstStep,
                  Math.abs(prefill.logits()[r * rows + v] - expected[(r * n + n - 1) * rows + v]));
        }
      }
      assertTrue(worstStep < TOLERANCE, "step: largest logit difference " + worstStep);
    }
    JsonNode tokens = batch.get("generation").get("new_token_ids");
    int steps = tokens.get(0).size();
    for (boolean kvCache : new boolean[] {true, false}) {
      int[][] generated = greedy(checkpoint, prompts, steps, kvCache);
      for (int r = 0; r < 2; r++) {
        assertArrayEquals(ints(tokens.get(r)), generated[r], "row " + r + " cache " + kvCache);
      }
    }
  }

  @Test
  void panguPrefixAttentionMatchesTheReference() {
    Checkpoint checkpoint = imported("pangu_alpha");
    JsonNode prefix = reference("pangu_alpha").get("prefix_lm");
    int[] ids = ints(prefix.get("input_ids"));
    int k = prefix.get("prefix_lm_mask").get(0).asInt();
    int n = ids.length;
    float[] actual =
        forward(
            checkpoint,
            new int[][] {ids},
            new int[][] {range(n)},
            AttentionMasks.bias(AttentionSpec.prefix(n, k + 1)));
    float[] expected = npy(dir("pangu_alpha").resolve("logits_prefix9.npy"));
    double worst = 0;
    for (int i = 0; i < expected.length; i++)
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    assertTrue(worst < TOLERANCE, "largest logit difference " + worst);
  }

  /**
   * Sampling (temperature, top-k, top-p) over a left-padded batch of two prompts draws the same
   * tokens from the step's logits as from the plain-Java reference forward run on each row alone.
   */
  @ParameterizedTest
  @FieldSource("FIXTURES")
  void sampledGenerationEqualsTheReferenceForwardDrivenOne(String fixture) {
    Checkpoint checkpoint = imported(fixture);
    int rows = checkpoint.spec().embeddingRows();
    int[] prompt = ints(reference(fixture).get("generation").get("prompt_ids"));
    int[][] prompts = {prompt, Arrays.copyOfRange(prompt, 2, prompt.length)};
    int steps = 8;
    GenerationConfig config =
        new GenerationConfig(steps, true, 0.9, 40, 0.95, 1, List.of(), 7, false);
    boolean[] allowed = new boolean[rows];
    Arrays.fill(allowed, true);
    TokenSampler sampler = new TokenSampler(config, allowed);
    int[][] actual = new int[2][steps];
    try (PyTorchStep step = PyTorchStep.of(checkpoint, Device.CPU, true);
        DecodeBatch batch = step.prefill(prompts, new int[2], prompt.length + steps)) {
      SplittableRandom[] random = {
        TokenSampler.randomFor(7, 0, 0), TokenSampler.randomFor(7, 1, 0)
      };
      for (int s = 0; s < steps; s++) {
        int[] next = new int[2];
        for (int r = 0; r < 2; r++) {
          next[r] = sampler.next(batch.logits(), r * rows, random[r]);
          actual[r][s] = next[r];
        }
        if (s + 1 < steps) batch.step(next);
      }
    }
    ReferenceForward reference = ReferenceForward.of(checkpoint);
    for (int r = 0; r < 2; r++) {
      SplittableRandom random = TokenSampler.randomFor(7, r, 0);
      int[] sequence = Arrays.copyOf(prompts[r], prompts[r].length + steps);
      for (int s = 0; s < steps; s++) {
        int n = prompts[r].length + s;
        float[][] logits =
            reference.logits(Arrays.copyOf(sequence, n), range(n), AttentionSpec.causal(n));
        sequence[n] = sampler.next(logits[n - 1], random);
      }
      assertArrayEquals(
          Arrays.copyOfRange(sequence, prompts[r].length, sequence.length),
          actual[r],
          fixture + " row " + r);
    }
  }
}

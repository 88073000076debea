package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.AttentionSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DJL forward pass computes the function of docs/MODEL.md: logits equal the Java oracle's. */
class ForwardParityIT {
  private static final ModelSpec SPEC = new ModelSpec(2, 4, 32, 24, 40, Separation.PARTIAL, 0.1);
  private static NDManager manager;
  private static Map<String, Tensor> weights;
  private static GptModel model;

  @BeforeAll
  static void load() {
    manager = Devices.engine().newBaseManager(ai.djl.Device.cpu());
    MappedRouter router =
        new MappedRouter(Separation.PARTIAL, 36, 40, Map.of(3, 36, 5, 37, 7, 38, 9, 39));
    weights = perturbed(ParameterLayout.initialize(SPEC, router, 11), 5);
    model = GptModel.load(SPEC, weights, manager, false);
  }

  @AfterAll
  static void close() {
    model.close();
    manager.close();
  }

  /**
   * Initial weights are tiny (std 0.02), which would make any forward pass look right; scale them
   * up and give LayerNorms random gains and biases so that every term matters.
   */
  static Map<String, Tensor> perturbed(Iterable<Tensor> tensors, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Tensor t : tensors) {
      float[] data = t.data().clone();
      for (int i = 0; i < data.length; i++) {
        if (t.name().contains("ln") || t.name().endsWith(".bias")) {
          data[i] += (float) (random.nextDouble() - 0.5) * 0.5f;
        } else {
          data[i] *= 15f;
        }
      }
      out.put(t.name(), new Tensor(t.name(), t.shape(), data));
    }
    return out;
  }

  private static void assertParity(int[] ids, int[] positions, AttentionSpec attention) {
    float[][] expected = new ReferenceForward(SPEC, weights).logits(ids, positions, attention);
    float[] actual;
    int n = ids.length;
    try (NDScope scope = new NDScope()) {
      long[] idl = new long[n];
      long[] pl = new long[n];
      for (int i = 0; i < n; i++) {
        idl[i] = ids[i];
        pl[i] = positions[i];
      }
      NDArray hidden =
          model.hidden(
              manager.create(idl, new Shape(1, n)),
              manager.create(pl, new Shape(1, n)),
              manager.create(AttentionMasks.bias(attention), new Shape(1, 1, n, n)),
              false);
      actual = model.logits(hidden).toFloatArray();
    }
    double maxAbs = 0;
    double maxLogit = 0;
    for (int t = 0; t < n; t++) {
      for (int r = 0; r < SPEC.embeddingRows(); r++) {
        maxAbs = Math.max(maxAbs, Math.abs(expected[t][r] - actual[t * SPEC.embeddingRows() + r]));
        maxLogit = Math.max(maxLogit, Math.abs(expected[t][r]));
      }
    }
    assertEquals(0.0, maxAbs, 1e-4, "max |logit difference| (logits up to " + maxLogit + ")");
    // the perturbation must make logits large enough for the tolerance to mean something
    org.junit.jupiter.api.Assertions.assertTrue(maxLogit > 1, "logits too small: " + maxLogit);
  }

  private static int[] ids(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) ids[i] = random.nextInt(SPEC.embeddingRows());
    return ids;
  }

  private static int[] range(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    return p;
  }

  @Test
  void causalLogitsMatchTheReference() {
    assertParity(ids(20, 1), range(20), AttentionSpec.causal(20));
  }

  @Test
  void prefixLmLogitsMatchTheReference() {
    assertParity(ids(18, 2), range(18), AttentionSpec.prefix(18, 7));
  }

  @Test
  void packedRowsWithTheirOwnPositionsMatchTheReference() {
    int[] segments = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2};
    int[] positions = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3};
    assertParity(ids(16, 3), positions, AttentionSpec.segments(segments, new int[] {0, 3, 2}));
  }
}

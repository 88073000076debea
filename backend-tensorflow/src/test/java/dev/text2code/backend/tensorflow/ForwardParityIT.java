package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The graph computes the function of docs/MODEL.md: logits and loss match the Java oracle. */
class ForwardParityIT {
  /** 40 token ids, rows 0..3 replicated to 40..43 for the code side (partial separation). */
  static final ModalityRouter PARTIAL =
      new MappedRouter(Separation.PARTIAL, 40, 44, Map.of(0, 40, 1, 41, 2, 42, 3, 43));

  static final ModelSpec SPEC = new ModelSpec(2, 2, 16, 32, 44, Separation.PARTIAL, 0.0);
  private static TensorFlowTrainingSession session;
  private static Map<String, Tensor> weights;

  @BeforeAll
  static void trainAFewSteps() {
    session =
        (TensorFlowTrainingSession)
            new TensorFlowBackend().openTraining(SPEC, TrainingConfig.defaults(3, 4, 10), PARTIAL);
    // move away from the initial weights so that every parameter matters
    for (int i = 0; i < 3; i++) session.step(batch(4, 12, i));
    weights = session.weights();
  }

  @AfterAll
  static void close() {
    session.close();
  }

  static List<TrainingExample> batch(int rows, int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TrainingExample> out = new java.util.ArrayList<>();
    for (int r = 0; r < rows; r++) out.add(example(length, AttentionSpec.causal(length), random));
    return out;
  }

  /** Text then code; code inputs are routed (rows 40..43 stand for ids 0..3). */
  static TrainingExample example(int length, AttentionSpec attention, SplittableRandom random) {
    int[] ids = new int[length];
    int[] labels = new int[length];
    byte[] modalities = new byte[length];
    int[] positions = new int[length];
    int half = length / 2;
    for (int t = 0; t < length; t++) {
      int token = random.nextInt(40);
      ids[t] = t >= half ? PARTIAL.route(token, dev.text2code.api.Modality.CODE) : token;
      positions[t] = t - attention.segmentStart(attention.segmentOf(t));
    }
    for (int t = 0; t < length; t++) {
      boolean code = t + 1 >= half;
      labels[t] = t + 1 < length ? ids[t + 1] : TrainingExample.IGNORE;
      modalities[t] = (byte) (code && labels[t] != TrainingExample.IGNORE ? 1 : 0);
    }
    return TrainingExample.of(ids, labels, modalities, positions, attention);
  }

  private static void assertLogitsMatchOracle(TrainingExample e) {
    float[][] expected =
        new ReferenceForward(SPEC, weights).logits(e.inputIds(), e.positionIds(), e.attention());
    float[][] actual = session.logits(e);
    assertEquals(expected.length, actual.length);
    for (int t = 0; t < expected.length; t++) {
      for (int r = 0; r < expected[t].length; r++) {
        assertEquals(expected[t][r], actual[t][r], 1e-4, "position " + t + " row " + r);
      }
    }
  }

  @Test
  void causalLogitsMatchTheReference() {
    assertLogitsMatchOracle(example(20, AttentionSpec.causal(20), new SplittableRandom(1)));
  }

  @Test
  void prefixLogitsMatchTheReference() {
    assertLogitsMatchOracle(example(20, AttentionSpec.prefix(20, 7), new SplittableRandom(2)));
  }

  @Test
  void packedLogitsMatchTheReference() {
    int[] segments = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2};
    AttentionSpec packed = AttentionSpec.segments(segments, new int[] {2, 0, 3});
    assertLogitsMatchOracle(example(segments.length, packed, new SplittableRandom(3)));
  }

  @Test
  void restrictedLossMatchesTheReference() {
    List<TrainingExample> b = batch(3, 16, 99);
    double expected = Oracle.meanLoss(SPEC, weights, PARTIAL, b);
    assertEquals(expected, session.evaluate(b), 1e-4);
  }

  @Test
  void restrictedLossIgnoresTextRowsAtCodeTargets() {
    // raising the logit of a text-only row (an original with a replica) at a code-target position
    // must not change the loss: boost row 0's embedding so it dominates every unrestricted softmax
    TrainingExample e = example(16, AttentionSpec.causal(16), new SplittableRandom(5));
    double restricted = Oracle.lossSum(SPEC, weights, PARTIAL, e) / e.labelledCount();
    double plain =
        Oracle.lossSum(SPEC, weights, new MappedRouter(Separation.NONE, 44, 44, Map.of()), e)
            / e.labelledCount();
    double actual = session.evaluate(List.of(e));
    assertEquals(restricted, actual, 1e-4);
    // the restriction is real: plain softmax over all rows gives a different (higher) loss
    org.junit.jupiter.api.Assertions.assertTrue(
        plain > restricted + 1e-3, plain + " vs " + restricted);
  }

  @Test
  void labelsOutsideTheirModalityVocabularyAreRejected() {
    // row 0 is the text-side original of replicated row 40: a code target may not be row 0
    TrainingExample wrong =
        TrainingExample.causal(new int[] {5, 6}, new int[] {0, -100}, new byte[] {1, 0});
    dev.text2code.api.InvalidInputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.text2code.api.InvalidInputException.class, () -> session.evaluate(List.of(wrong)));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("label row 0 at position 0 is not in the code vocabulary"),
        e.getMessage());
  }

  @Test
  void batchedRowsDoNotInteract() {
    List<TrainingExample> b = batch(3, 16, 7);
    double together = session.evaluate(b);
    double sum = 0;
    long count = 0;
    for (TrainingExample e : b) {
      sum += session.evaluate(List.of(e)) * e.labelledCount();
      count += e.labelledCount();
    }
    assertEquals(sum / count, together, 1e-5);
  }

  @Test
  void contractTinyModelMatchesTooWithIdentityRouter() {
    ModelSpec spec = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
    try (TensorFlowTrainingSession s =
        (TensorFlowTrainingSession)
            new TensorFlowBackend()
                .openTraining(
                    spec, TrainingConfig.defaults(1, 4, 2), ContractFixtures.identityRouter())) {
      TrainingExample e = ContractFixtures.patternBatch(1, 16, 4).get(0);
      float[][] expected =
          new ReferenceForward(spec, s.weights())
              .logits(e.inputIds(), e.positionIds(), e.attention());
      float[][] actual = s.logits(e);
      for (int t = 0; t < expected.length; t++) {
        for (int r = 0; r < expected[t].length; r++) {
          assertEquals(expected[t][r], actual[t][r], 1e-4);
        }
      }
    }
  }
}

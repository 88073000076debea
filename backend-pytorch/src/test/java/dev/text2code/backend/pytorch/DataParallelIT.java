package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel training for real, with replicas on the CPU device: N replicas each given B/N rows
 * follow the loss curve of one device given all B rows.
 */
class DataParallelIT {
  private static final ModelSpec SPEC = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
  private static final MappedRouter ROUTER = MappedRouter.copyOf(ContractFixtures.identityRouter());
  private static final int STEPS = 6;

  /**
   * Step s's batch: pattern rows where row r ignores its first (r * 3) % 8 labels, so the replicas'
   * shares hold different numbers of labelled positions (averaging per replica would be wrong).
   */
  static List<TrainingExample> batch(int rows, int step) {
    List<TrainingExample> out = new ArrayList<>();
    List<TrainingExample> base = ContractFixtures.patternBatch(rows, 16, 100 + step);
    for (int r = 0; r < rows; r++) {
      TrainingExample e = base.get(r);
      int[] labels = e.labels().clone();
      for (int i = 0; i < (r * 3) % 8; i++) labels[labels.length / 2 + i] = TrainingExample.IGNORE;
      out.add(TrainingExample.causal(e.inputIds(), labels, e.targetModalities()));
    }
    return out;
  }

  private static double[] losses(TrainingConfig config, List<Tensor> weightsOut) {
    double[] losses = new double[STEPS];
    try (PyTorchTrainingSession s = PyTorchTrainingSession.open(SPEC, config, ROUTER)) {
      for (int i = 0; i < STEPS; i++) losses[i] = s.step(batch(config.batchSize(), i)).loss();
      weightsOut.addAll(s.toCheckpoint().weights().values());
    }
    return losses;
  }

  @Test
  void twoReplicasFollowTheLossCurveOfOneDeviceWithTheSameGlobalBatch() {
    TrainingConfig one = TrainingConfig.defaults(7, 8, STEPS);
    List<Tensor> w1 = new ArrayList<>();
    List<Tensor> w2 = new ArrayList<>();
    double[] single = losses(one, w1);
    double[] parallel = losses(one.withDataParallel(2), w2);
    assertArrayEquals(single, parallel, 1e-5);
    assertTrue(
        single[STEPS - 1] < single[0],
        "the model learns: " + single[0] + " -> " + single[STEPS - 1]);
    for (int i = 0; i < w1.size(); i++) {
      assertEquals(w1.get(i).name(), w2.get(i).name());
      assertArrayEquals(w1.get(i).data(), w2.get(i).data(), 1e-5f, w1.get(i).name());
    }
  }

  @Test
  void fourReplicasWithGradientAccumulationFollowItToo() {
    TrainingConfig base = TrainingConfig.defaults(7, 8, STEPS);
    TrainingConfig accumulated =
        new TrainingConfig(
            7,
            8,
            2,
            STEPS,
            base.learningRate(),
            base.minLearningRate(),
            base.warmupSteps(),
            base.weightDecay(),
            base.beta1(),
            base.beta2(),
            base.epsilon(),
            base.gradientClip(),
            0,
            base.device(),
            -1,
            base.precision(),
            4);
    assertArrayEquals(
        losses(base, new ArrayList<>()), losses(accumulated, new ArrayList<>()), 1e-5);
  }

  @Test
  void oneReplicaPerGpuIsRefusedOnTheCpu() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                PyTorchTrainingSession.open(
                    SPEC, TrainingConfig.defaults(7, 8, STEPS).withDataParallel(0), ROUTER));
    assertTrue(
        e.getMessage().startsWith("training.data-parallel = 0 means one replica per GPU"),
        e.getMessage());
  }
}

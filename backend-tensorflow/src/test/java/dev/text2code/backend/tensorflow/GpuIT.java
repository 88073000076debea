package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.objective.TrainingExample;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Needs a GPU and the GPU native artifact (tensorflow-core-native:linux-x86_64-gpu): the same steps
 * on GPU and CPU give the same losses and logits within float32 tolerance.
 */
@Tag("gpu")
class GpuIT {
  @Test
  void gpuTrainsLikeTheCpu() {
    List<TrainingExample> batch = ContractFixtures.patternBatch(4, 16, 2);
    float[][] cpuLogits;
    double cpuLoss;
    try (TrainingSession cpu = open(Device.CPU)) {
      cpuLoss = cpu.step(batch).loss();
      cpuLogits = cpu.logits(batch.get(0));
    }
    try (TrainingSession gpu = open(Device.GPU)) {
      assertEquals(cpuLoss, gpu.step(batch).loss(), 1e-4);
      float[][] logits = gpu.logits(batch.get(0));
      for (int t = 0; t < logits.length; t++) assertArrayEquals(cpuLogits[t], logits[t], 1e-4f);
    }
  }

  private static TrainingSession open(Device device) {
    return new TensorFlowBackend()
        .openTraining(
            ContractFixtures.tinySpec(ContractFixtures.VOCABULARY),
            TrainingConfig.defaults(5, 4, 10).withDevice(device),
            ContractFixtures.identityRouter());
  }
}

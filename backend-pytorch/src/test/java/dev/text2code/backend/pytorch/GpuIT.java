package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.backend.Capability;
import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a CUDA machine (mvn -P gpu): the GPU computes what the CPU computes. */
@Tag("gpu")
class GpuIT {
  @TempDir Path temp;

  @Test
  void trainingOnTheGpuFollowsTheCpu() {
    PyTorchBackend backend = new PyTorchBackend();
    assumeTrue(backend.capabilities().contains(Capability.GPU), "no usable CUDA GPU");
    ModelSpec spec = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
    List<TrainingExample> batch = ContractFixtures.patternBatch(4, 16, 2);
    double[] cpu = new double[5];
    double[] gpu = new double[5];
    float[][] cpuLogits;
    float[][] gpuLogits;
    TrainingConfig config = TrainingConfig.defaults(3, 4, 5);
    try (var s = backend.openTraining(spec, config, ContractFixtures.identityRouter())) {
      for (int i = 0; i < 5; i++) cpu[i] = s.step(batch).loss();
      cpuLogits = s.logits(batch.get(0));
    }
    try (var s =
        backend.openTraining(
            spec, config.withDevice(Device.GPU), ContractFixtures.identityRouter())) {
      for (int i = 0; i < 5; i++) gpu[i] = s.step(batch).loss();
      gpuLogits = s.logits(batch.get(0));
      s.save(temp.resolve("gpu"));
    }
    assertArrayEquals(cpu, gpu, 1e-4);
    for (int t = 0; t < cpuLogits.length; t++) assertArrayEquals(cpuLogits[t], gpuLogits[t], 1e-3f);
    try (var g = backend.openGenerator(temp.resolve("gpu"), Device.GPU)) {
      assertEquals(spec, g.spec());
    }
    assertTrue(backend.capabilities().contains(Capability.TRAIN));
  }
}

package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.Capability;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.Placement;
import dev.text2code.api.backend.Precision;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a CUDA machine ({@code mvn -P gpu}, see benchmarks/gpu/run.sh): the GPU computes what the CPU
 * computes, for the tiny model. Without a usable GPU every test is skipped with the reason.
 */
@Tag("gpu")
class GpuIT {
  private static final ModelSpec SPEC = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
  private static final MappedRouter ROUTER = MappedRouter.copyOf(ContractFixtures.identityRouter());
  private static final List<TrainingExample> BATCH = ContractFixtures.patternBatch(4, 16, 2);
  private static final TrainingConfig CPU = TrainingConfig.defaults(3, 4, 5);
  private static final TrainingConfig GPU = CPU.withPlacement(Placement.parse("gpu:0"));

  @TempDir Path temp;

  @BeforeEach
  void needsAGpu() {
    assumeTrue(
        new PyTorchBackend().capabilities().contains(Capability.GPU),
        "no usable CUDA GPU (libtorch flavour "
            + Devices.nativeFlavour()
            + "): run with -P gpu on a machine with an NVIDIA driver");
  }

  private static double[] losses(TrainingConfig config, Path save, float[][][] logits) {
    double[] out = new double[5];
    try (PyTorchTrainingSession s = PyTorchTrainingSession.open(SPEC, config, ROUTER)) {
      logits[0] = s.logits(BATCH.get(0));
      for (int i = 0; i < 5; i++) out[i] = s.step(BATCH).loss();
      if (save != null) s.save(save);
    }
    return out;
  }

  private static void assertLogits(float[][] expected, float[][] actual, float tolerance) {
    for (int t = 0; t < expected.length; t++) assertArrayEquals(expected[t], actual[t], tolerance);
  }

  @Test
  void fp32LogitsAndFiveTrainingStepsFollowTheCpu() {
    float[][][] cpuLogits = new float[1][][];
    float[][][] gpuLogits = new float[1][][];
    double[] cpu = losses(CPU, temp.resolve("cpu"), cpuLogits);
    double[] gpu = losses(GPU, temp.resolve("gpu"), gpuLogits);
    assertLogits(cpuLogits[0], gpuLogits[0], 1e-3f);
    assertArrayEquals(cpu, gpu, 1e-4);
  }

  @Test
  void fp16LogitsAndFiveTrainingStepsFollowTheCpuWithinMixedPrecisionTolerance() {
    float[][][] cpuLogits = new float[1][][];
    float[][][] gpuLogits = new float[1][][];
    double[] cpu = losses(CPU, null, cpuLogits);
    double[] fp16 = losses(GPU.withPrecision(Precision.FP16), temp.resolve("fp16"), gpuLogits);
    assertLogits(cpuLogits[0], gpuLogits[0], 2e-2f);
    assertArrayEquals(cpu, fp16, 2e-2);
    assertEquals("65536.0", Checkpoint.read(temp.resolve("fp16")).state().get("loss-scale"));
  }

  @Test
  void greedyTokensOnTheGpuEqualTheCpuInFp32() {
    CharTokenizer tokenizer = TinyCorpus.TOKENIZER;
    IdentityRouter router = new IdentityRouter(tokenizer.vocabularySize());
    ModelSpec spec = new ModelSpec(2, 2, 48, 64, router.embeddingRows(), SPEC.separation(), 0.0);
    TrainingConfig config =
        new TrainingConfig(9, 16, 1, 60, 5e-3, 5e-4, 10, 0.0, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
    try (var session = new PyTorchBackend().openTraining(spec, config, router)) {
      for (int step = 0; step < 60; step++) {
        session.step(TinyCorpus.windows(tokenizer, router, 16, 40, step));
      }
      session.save(temp.resolve("tiny"));
    }
    Checkpoint checkpoint = Checkpoint.read(temp.resolve("tiny"));
    List<TokenSequence> prompts =
        List.of(
            TokenSequence.uniform(tokenizer.encode("def add(a, b):\n").toArray(), Modality.CODE));
    GenerationConfig greedy = GenerationConfig.greedy(40, List.of());
    List<List<Completion>> cpu;
    List<List<Completion>> gpu;
    try (var g =
        new dev.text2code.api.generation.GenerationLoop(
            PyTorchStep.of(checkpoint, Device.CPU, true))) {
      cpu = g.generate(prompts, greedy, tokenizer);
    }
    try (var g =
        new dev.text2code.api.generation.GenerationLoop(
            PyTorchStep.of(checkpoint, Device.GPU, true))) {
      gpu = g.generate(prompts, greedy, tokenizer);
    }
    assertArrayEquals(
        cpu.get(0).get(0).tokenIds().toArray(), gpu.get(0).get(0).tokenIds().toArray());
  }

  @Test
  void everyGpuOfTheMachineFollowsOneGpuWithTheSameGlobalBatch() {
    int count = Devices.engine().getGpuCount();
    assumeTrue(count >= 2, "data parallelism needs 2+ GPUs; this machine has " + count);
    int replicas = Integer.highestOneBit(Math.min(count, 4));
    float[][][] ignored = new float[1][][];
    double[] one = losses(GPU, null, ignored);
    double[] all = losses(GPU.withDataParallel(replicas), null, ignored);
    assertArrayEquals(one, all, 1e-4);
  }
}

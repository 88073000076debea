package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.Placement;
import dev.text2code.api.backend.Precision;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mixed precision on a machine without a GPU: users get clear refusals before any work, and the
 * fp16 path itself runs on libtorch's CPU kernels (through the package-private switch) to show it
 * tracks fp32, scales its loss and checkpoints float32 masters.
 */
class MixedPrecisionIT {
  private static final ModelSpec SPEC = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
  private static final MappedRouter ROUTER = MappedRouter.copyOf(ContractFixtures.identityRouter());
  private static final TrainingConfig FP32 = TrainingConfig.defaults(3, 4, 5);
  private static final List<TrainingExample> BATCH = ContractFixtures.patternBatch(4, 16, 2);

  @TempDir Path temp;

  @Test
  void fp16TrainingIsRefusedOnTheCpuBeforeAnyWork() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                new PyTorchBackend()
                    .openTraining(SPEC, FP32.withPrecision(Precision.FP16), ROUTER));
    assertEquals(
        "training.precision = fp16 needs a CUDA GPU (device = gpu or gpu:N), but the pytorch"
            + " backend computes on cpu(); on the CPU it trains and generates in fp32 only: set"
            + " training.precision = fp32",
        e.getMessage());
  }

  @Test
  void bf16IsRefusedWithTheReasonEvenWhereMixedPrecisionIsAllowed() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                PyTorchTrainingSession.open(
                    SPEC, FP32.withPrecision(Precision.BF16), ROUTER, true));
    assertTrue(
        e.getMessage().startsWith("training.precision = bf16 is not available with the pytorch"),
        e.getMessage());
    assertTrue(e.getMessage().contains("training.precision = fp16"), e.getMessage());
  }

  @Test
  void aGpuNumberWithoutAGpuFailsBeforeAnyWork() {
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () ->
                new PyTorchBackend()
                    .openTraining(SPEC, FP32.withPlacement(Placement.parse("gpu:1")), ROUTER));
    assertTrue(
        e.getMessage().startsWith("device = gpu:1 but backend pytorch sees no usable CUDA GPU"),
        e.getMessage());
  }

  private static double[] losses(TrainingConfig config, boolean cpuMixed, Path save) {
    double[] out = new double[5];
    try (PyTorchTrainingSession s = PyTorchTrainingSession.open(SPEC, config, ROUTER, cpuMixed)) {
      for (int i = 0; i < 5; i++) out[i] = s.step(BATCH).loss();
      if (save != null) s.save(save);
    }
    return out;
  }

  @Test
  void fp16TrainingWithLossScalingTracksFp32AndCheckpointsFloat32Masters() {
    double[] fp32 = losses(FP32, false, null);
    Path dir = temp.resolve("fp16");
    double[] fp16 = losses(FP32.withPrecision(Precision.FP16), true, dir);
    assertArrayEquals(fp32, fp16, 2e-2);
    assertNotEquals(fp32[4], fp16[4], "fp16 really computed in 16 bits");
    assertTrue(fp16[4] < fp16[0], "the fp16 model learns: " + fp16[0] + " -> " + fp16[4]);
    Checkpoint c = Checkpoint.read(dir);
    assertEquals("65536.0", c.state().get("loss-scale"));
    assertEquals("5", c.state().get("loss-scale-good-steps"));
    // the masters are float32 values, not float16 ones: some weight uses the 13 low mantissa bits
    // that float16 lacks
    boolean finerThanFp16 = false;
    for (float v : c.weights().get("wte").data()) {
      if ((Float.floatToRawIntBits(v) & 0x1FFF) != 0) finerThanFp16 = true;
    }
    assertTrue(finerThanFp16, "the checkpoint holds float32 master weights");
    // and an fp32 session continues from it
    try (var s = PyTorchTrainingSession.resume(dir, FP32)) {
      assertTrue(Double.isFinite(s.step(BATCH).loss()));
    }
  }

  @Test
  void theFp16LossScaleResumesFromTheCheckpoint() {
    Path dir = temp.resolve("resume");
    TrainingConfig fp16 = FP32.withPrecision(Precision.FP16);
    losses(fp16, true, dir);
    try (var s = PyTorchTrainingSession.resume(dir, fp16, true)) {
      assertTrue(Double.isFinite(s.step(BATCH).loss()));
      assertEquals("6", s.toCheckpoint().state().get("loss-scale-good-steps"));
    }
  }

  /**
   * Why fp16 training keeps 16-bit leaves and separate float32 masters instead of casting float32
   * parameters in the forward pass: DJL's cast has no autograd history.
   */
  @Test
  void djlsFloat16CastIsNotDifferentiable() {
    var engine = Devices.engine();
    try (NDManager m = engine.newBaseManager()) {
      NDArray w = m.ones(new Shape(4, 4));
      w.setRequiresGradient(true);
      try (GradientCollector c = engine.newGradientCollector()) {
        NDArray half = w.toType(DataType.FLOAT16, false);
        assertEquals(DataType.FLOAT16, half.getDataType());
        NDArray loss = half.toType(DataType.FLOAT32, false).sum();
        EngineException e = assertThrows(EngineException.class, () -> c.backward(loss));
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
      }
    }
  }

  /** fp16 inference: a model stored in float16 gives the float32 logits within 2e-2. */
  @Test
  void anFp16InferenceModelGivesTheFp32Logits() {
    var weights = new java.util.LinkedHashMap<String, dev.text2code.api.checkpoint.Tensor>();
    for (var t : dev.text2code.api.checkpoint.ParameterLayout.initialize(SPEC, ROUTER, 11))
      weights.put(t.name(), t);
    TrainingExample e = BATCH.get(0);
    Batch one = Batch.of(List.of(e), SPEC);
    try (NDManager m = Devices.engine().newBaseManager();
        GptModel full = GptModel.load(SPEC, weights, m, false);
        GptModel half = GptModel.load(SPEC, weights, m, false, DataType.FLOAT16)) {
      assertEquals(DataType.FLOAT16, half.parameter("wte").getDataType());
      float[] expected =
          full.logits(full.hidden(one.inputIds(m), one.positionIds(m), one.attentionBias(m), false))
              .toFloatArray();
      NDArray h = half.hidden(one.inputIds(m), one.positionIds(m), one.attentionBias(m), false);
      NDArray logits = half.logits(h);
      assertEquals(DataType.FLOAT16, logits.getDataType());
      float[] actual = logits.toType(DataType.FLOAT32, false).toFloatArray();
      assertArrayEquals(expected, actual, 2e-2f);
      // the checkpoint form of a float16 model is float32 again
      assertEquals(weights.get("wpe").shape().length, half.toTensors().get(1).shape().length);
    }
  }
}

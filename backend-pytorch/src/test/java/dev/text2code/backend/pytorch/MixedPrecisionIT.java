package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;

/** Mixed precision and GPU numbers on a machine without a GPU: clear refusals before any work. */
class MixedPrecisionIT {
  private static final ModelSpec SPEC = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
  private static final MappedRouter ROUTER = MappedRouter.copyOf(ContractFixtures.identityRouter());
  private static final TrainingConfig FP32 = TrainingConfig.defaults(3, 4, 5);

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

  @Test
  void fp16IsRefusedWithTheReasonEvenWhereMixedPrecisionIsAllowed() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                PyTorchTrainingSession.open(
                    SPEC, FP32.withPrecision(Precision.FP16), ROUTER, true));
    assertTrue(
        e.getMessage().startsWith("training.precision = fp16 is not available with the pytorch"),
        e.getMessage());
  }

  /**
   * Why fp16 training is refused: DJL's cast of a float32 parameter to float16 has no autograd
   * history. When a DJL upgrade makes this fail, lift the refusal in MixedPrecision.
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
}

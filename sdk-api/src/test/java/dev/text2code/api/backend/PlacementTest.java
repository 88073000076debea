package dev.text2code.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import org.junit.jupiter.api.Test;

class PlacementTest {
  @Test
  void parsesEveryDeviceSpelling() {
    assertEquals(Placement.of(Device.CPU), Placement.parse("cpu"));
    assertEquals(Placement.of(Device.GPU), Placement.parse(" GPU "));
    assertEquals(new Placement(Device.GPU, 3), Placement.parse("gpu:3"));
    assertEquals(Placement.of(Device.AUTO), Placement.parse("auto"));
    assertEquals("gpu:3", Placement.parse("gpu:3").toString());
    assertEquals(0, Placement.parse("gpu").gpuOrFirst());
  }

  @Test
  void badDevicesNameTheValidChoices() {
    for (String bad : new String[] {"tpu", "gpu:", "gpu:-1", "gpu:x", "cpu:1", "gpu:1:2"}) {
      ConfigurationException e =
          assertThrows(ConfigurationException.class, () -> Placement.parse(bad), bad);
      assertTrue(e.getMessage().contains("device = " + bad), e.getMessage());
      assertTrue(e.getMessage().contains("cpu, gpu, gpu:N"), e.getMessage());
    }
  }

  @Test
  void precisionParsesAndNamesItsKey() {
    assertEquals(Precision.BF16, Precision.parse("training.precision", "bf16"));
    assertEquals("fp16", Precision.FP16.key());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> Precision.parse("training.precision", "int8"));
    assertEquals(
        "training.precision = int8 is not valid; expected one of fp32, bf16, fp16", e.getMessage());
  }

  @Test
  void trainingConfigCarriesPlacementPrecisionAndReplicas() {
    TrainingConfig c =
        TrainingConfig.defaults(1, 8, 5)
            .withPlacement(Placement.parse("gpu:2"))
            .withPrecision(Precision.BF16)
            .withDataParallel(4);
    assertEquals("gpu:2", c.placement().toString());
    assertEquals(Precision.BF16, c.precision());
    assertEquals(4, c.dataParallel());
    assertEquals(Precision.FP32, TrainingConfig.defaults(1, 8, 5).precision());
    assertEquals(1, TrainingConfig.defaults(1, 8, 5).dataParallel());
  }

  @Test
  void replicasMustDivideTheMicroBatch() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> TrainingConfig.defaults(1, 6, 5).withDataParallel(4));
    assertTrue(
        e.getMessage().startsWith("training.data-parallel = 4 is not valid"), e.getMessage());
    assertTrue(e.getMessage().contains("micro-batch size"), e.getMessage());
  }
}

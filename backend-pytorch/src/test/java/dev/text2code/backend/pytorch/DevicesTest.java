package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.backend.Placement;
import org.junit.jupiter.api.Test;

/** The device checks as messages a user reads, for GPU counts this machine need not have. */
class DevicesTest {
  @Test
  void aGpuNumberBeyondTheCountNamesTheCount() {
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () -> Devices.checkGpus(Placement.parse("gpu:2"), 1, 2, "cu124"));
    assertEquals(
        "device = gpu:2 but backend pytorch sees 2 CUDA GPUs (gpu:0 to gpu:1); choose a GPU"
            + " number below 2",
        e.getMessage());
    BackendUnavailableException one =
        assertThrows(
            BackendUnavailableException.class,
            () -> Devices.checkGpus(Placement.parse("gpu:1"), 1, 1, "cu124"));
    assertEquals(
        "device = gpu:1 but backend pytorch sees 1 CUDA GPU (gpu:0); choose a GPU number below 1",
        one.getMessage());
  }

  @Test
  void tooManyReplicasNameTheCountAndHowManyFit() {
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () -> Devices.checkGpus(Placement.parse("gpu:1"), 4, 4, "cu124"));
    assertEquals(
        "device = gpu:1 with training.data-parallel = 4 but backend pytorch sees 4 CUDA GPUs"
            + " (gpu:0 to gpu:3); choose a GPU number below 4 and at most 3 replicas from it",
        e.getMessage());
    assertDoesNotThrow(() -> Devices.checkGpus(Placement.parse("gpu:1"), 3, 4, "cu124"));
    assertDoesNotThrow(() -> Devices.checkGpus(Placement.parse("gpu"), 4, 4, "cu124"));
  }

  @Test
  void noGpuAtAllSaysHowToGetOne() {
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () -> Devices.checkGpus(Placement.parse("gpu:0"), 1, 0, "cpu"));
    assertEquals(
        "device = gpu:0 but backend pytorch sees no usable CUDA GPU (libtorch flavour cpu); build"
            + " with -P gpu on a machine with an NVIDIA driver, or set device = cpu or auto",
        e.getMessage());
  }
}

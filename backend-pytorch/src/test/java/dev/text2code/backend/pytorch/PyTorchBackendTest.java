package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registration and capabilities, without loading libtorch. */
class PyTorchBackendTest {
  @Test
  void theGuiceModuleRegistersTheBackendAsPytorch() {
    Map<String, Backend> backends =
        Guice.createInjector(new PyTorchBackendModule())
            .getInstance(Key.get(new TypeLiteral<Map<String, Backend>>() {}));
    assertEquals(1, backends.size());
    assertTrue(backends.get("pytorch") instanceof PyTorchBackend);
  }

  @Test
  void withTheCpuLibtorchItTrainsAndGeneratesButClaimsNoGpu() {
    assumeTrue(
        "cpu".equals(Devices.nativeFlavour()) && System.getenv("PYTORCH_FLAVOR") == null,
        "the gpu profile is active");
    var capabilities = new PyTorchBackend().capabilities();
    assertTrue(capabilities.contains(Capability.TRAIN));
    assertTrue(capabilities.contains(Capability.GENERATE));
    assertFalse(capabilities.contains(Capability.GPU));
    assertFalse(capabilities.contains(Capability.EXPORT_ONNX));
  }
}

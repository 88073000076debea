package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Registration and capabilities; constructing the backend needs no native library. */
class TensorFlowBackendModuleTest {
  @Test
  void registersTheBackendUnderItsName() {
    Map<String, Backend> backends =
        Guice.createInjector(new TensorFlowBackendModule())
            .getInstance(Key.get(new TypeLiteral<Map<String, Backend>>() {}));
    Backend backend = backends.get("tensorflow");
    assertInstanceOf(TensorFlowBackend.class, backend);
    assertEquals("tensorflow", backend.name());
    assertEquals(Set.of(Capability.TRAIN, Capability.GENERATE), backend.capabilities());
  }
}

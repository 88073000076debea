package dev.text2code.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.UnsupportedCapabilityException;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the backend promises without loading ONNX Runtime. */
class OnnxBackendTest {
  @TempDir Path temp;
  private final MappedRouter router = TestModels.partialRouter();
  private final ModelSpec spec = TestModels.spec(router, 2, 2, 16, 32);

  @Test
  void advertisesExactlyGenerationAndExport() {
    assertEquals(
        EnumSet.of(Capability.GENERATE, Capability.EXPORT_ONNX), new OnnxBackend().capabilities());
  }

  @Test
  void trainingRequestsNameTheBackendsThatCanTrain() {
    OnnxBackend backend = new OnnxBackend();
    UnsupportedCapabilityException open =
        assertThrows(
            UnsupportedCapabilityException.class,
            () -> backend.openTraining(spec, TrainingConfig.defaults(1, 4, 10), router));
    UnsupportedCapabilityException resume =
        assertThrows(
            UnsupportedCapabilityException.class,
            () -> backend.resumeTraining(temp, TrainingConfig.defaults(1, 4, 10)));
    for (UnsupportedCapabilityException e : List.of(open, resume)) {
      assertTrue(e.getMessage().contains("pytorch"), e.getMessage());
      assertTrue(e.getMessage().contains("tensorflow"), e.getMessage());
    }
  }

  @Test
  void registeredAsOnnxByItsGuiceModule() {
    Map<String, Backend> backends =
        Guice.createInjector(new OnnxBackendModule())
            .getInstance(Key.get(new TypeLiteral<Map<String, Backend>>() {}));
    assertTrue(backends.get("onnx") instanceof OnnxBackend, backends.toString());
  }
}

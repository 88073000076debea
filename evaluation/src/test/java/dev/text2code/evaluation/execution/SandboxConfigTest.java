package dev.text2code.evaluation.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.CodeExecutionException;
import dev.text2code.api.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxConfigTest {

  @Test
  void invalidValuesNameTheFieldAndWhatIsAllowed() {
    var error =
        assertThrows(
            ConfigurationException.class,
            () -> SandboxConfig.defaults().withTimeout(Duration.ZERO));
    assertEquals("timeout = PT0S is not valid; expected a positive duration", error.getMessage());
    error =
        assertThrows(ConfigurationException.class, () -> SandboxConfig.defaults().withWorkers(0));
    assertEquals("workers = 0 is not valid; expected 1..256", error.getMessage());
    assertThrows(
        ConfigurationException.class, () -> SandboxConfig.defaults().withMemoryBytes(1 << 20));
  }

  @Test
  void cpuLimitIsTheTimeoutRoundedUpPlusOneSecond() {
    assertEquals(4, SandboxConfig.defaults().cpuSeconds());
    assertEquals(3, SandboxConfig.defaults().withTimeout(Duration.ofMillis(1500)).cpuSeconds());
  }

  @Test
  void aMissingInterpreterIsReportedWithTheFix() {
    var error =
        assertThrows(
            CodeExecutionException.class,
            () ->
                SandboxedExecutor.create(
                    SandboxConfig.defaults().withInterpreter("/nonexistent/python-t2c")));
    assertTrue(
        error
            .getMessage()
            .startsWith("sandbox interpreter '/nonexistent/python-t2c' cannot be started"),
        error.getMessage());
    assertTrue(error.getMessage().contains("Python 3 executable"), error.getMessage());
  }
}

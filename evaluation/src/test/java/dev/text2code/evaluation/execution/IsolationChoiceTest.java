package dev.text2code.evaluation.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.CodeExecutionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUTO with and without bubblewrap (hidden with {@code bubblewrap = "none"}), and the fallbacks.
 */
class IsolationChoiceTest {
  private static final boolean ROOT =
      ProcessHandle.current().info().user().map("root"::equals).orElse(false);

  @TempDir Path workRoot;

  private SandboxedExecutor create(SandboxConfig config) {
    return SandboxedExecutor.create(config.withWorkers(1).withWorkRoot(workRoot));
  }

  @Test
  void withoutBubblewrapAutoFallsBackToUnshareAsRootAndSaysWhyOtherwise() {
    try (SandboxedExecutor executor = create(SandboxConfig.defaults().withBubblewrap("none"))) {
      if (ROOT) {
        assertEquals(Isolation.UNSHARE, executor.isolation(), executor.isolationWarning() + "");
        assertEquals(
            "passed", executor.execute("import os\nassert os.getuid() != 0\n").resultText());
      } else {
        assertEquals(Isolation.NONE, executor.isolation());
        String warning = executor.isolationWarning().orElseThrow();
        assertTrue(warning.contains("BUBBLEWRAP: 'none' not found"), warning);
        assertTrue(warning.contains("UNSHARE: needs root"), warning);
      }
    }
  }

  @Test
  void withBubblewrapAutoUsesIt() {
    SandboxConfig config = SandboxConfig.defaults();
    assumeTrue(
        SandboxedExecutor.findBubblewrap(config.bubblewrap()).isPresent(),
        "bubblewrap '" + config.bubblewrap() + "' not found (apt-get install bubblewrap)");
    try (SandboxedExecutor executor = create(config)) {
      assertEquals(Isolation.BUBBLEWRAP, executor.isolation());
    }
  }

  @Test
  void aForcedBubblewrapThatIsMissingIsAnErrorNamingTheFix() {
    var error =
        assertThrows(
            CodeExecutionException.class,
            () ->
                create(
                    SandboxConfig.defaults()
                        .withIsolation(Isolation.BUBBLEWRAP)
                        .withBubblewrap("/nonexistent/bwrap")));
    assertTrue(error.getMessage().contains("'/nonexistent/bwrap' not found"), error.getMessage());
    assertTrue(error.getMessage().contains("apt-get install bubblewrap"), error.getMessage());
  }

  @Test
  void bubblewrapIsLookedUpOnThePathOrGivenAsAPath(@TempDir Path bin) throws IOException {
    assertTrue(SandboxedExecutor.findBubblewrap("none").isEmpty());
    assertTrue(SandboxedExecutor.findBubblewrap("t2c-no-such-bwrap").isEmpty());
    Path fake = Files.writeString(bin.resolve("bwrap"), "#!/bin/sh\n");
    assertTrue(SandboxedExecutor.findBubblewrap(fake.toString()).isEmpty(), "not executable");
    assertTrue(fake.toFile().setExecutable(true));
    assertEquals(fake, SandboxedExecutor.findBubblewrap(fake.toString()).orElseThrow());
  }
}

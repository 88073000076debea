package dev.text2code.evaluation;

import dev.text2code.evaluation.execution.SandboxConfig;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One sandboxed executor for all tests of a class (starting the fork servers per test would cost
 * more than the tests): register it on a static field with {@code @RegisterExtension}; it starts
 * before the first test, under a temporary work root, and is closed after the last.
 *
 * <p>Its isolation is whatever this machine gives (AUTO): the classes using it run only programs
 * written for the tests (fixtures, canonical solutions), never generated code, so they claim no
 * isolation; the hostile programs live in the execution package's tests, which skip where the
 * isolation they need is missing.
 */
final class SharedSandbox implements BeforeAllCallback, AfterAllCallback {
  private final Duration timeout;
  private final int workers;
  private Path workRoot;
  private SandboxedExecutor executor;

  /** The default sandbox with this time limit per sample and this many parallel samples. */
  SharedSandbox(Duration timeout, int workers) {
    this.timeout = timeout;
    this.workers = workers;
  }

  SandboxedExecutor executor() {
    if (executor == null) {
      throw new IllegalStateException(
          "the shared sandbox is not running: register it with @RegisterExtension on a static"
              + " field");
    }
    return executor;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    workRoot = Files.createTempDirectory("t2c-test-sandbox-");
    executor =
        SandboxedExecutor.create(
            SandboxConfig.defaults()
                .withTimeout(timeout)
                .withWorkers(workers)
                .withWorkRoot(workRoot));
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (executor != null) executor.close();
    } finally {
      executor = null;
      if (workRoot != null) {
        try (Stream<Path> paths = Files.walk(workRoot)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
      }
    }
  }
}

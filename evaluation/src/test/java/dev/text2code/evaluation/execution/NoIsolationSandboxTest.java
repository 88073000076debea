package dev.text2code.evaluation.execution;

/**
 * The hostile cases without namespaces (the loud-warning fallback): destructive cases are skipped,
 * the rest must still hold through limits, timeouts and (as root) the worker's cgroup.
 */
class NoIsolationSandboxTest extends AbstractSandboxTest {
  NoIsolationSandboxTest() {
    super(ExecutionMode.FORK_SERVER, Isolation.NONE);
  }
}

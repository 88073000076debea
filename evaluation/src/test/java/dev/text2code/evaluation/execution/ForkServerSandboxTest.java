package dev.text2code.evaluation.execution;

/** The hostile cases against the default fork-server mode. */
class ForkServerSandboxTest extends AbstractSandboxTest {
  @Override
  ExecutionMode mode() {
    return ExecutionMode.FORK_SERVER;
  }
}

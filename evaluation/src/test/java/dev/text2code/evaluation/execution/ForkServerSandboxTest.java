package dev.text2code.evaluation.execution;

/** The hostile cases against the default fork-server mode. */
class ForkServerSandboxTest extends AbstractSandboxTest {
  ForkServerSandboxTest() {
    super(ExecutionMode.FORK_SERVER, Isolation.AUTO);
  }
}

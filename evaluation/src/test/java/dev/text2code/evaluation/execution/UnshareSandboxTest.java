package dev.text2code.evaluation.execution;

/**
 * The hostile cases with the unshare fallback (root only; its own mount namespace), fork server.
 */
class UnshareSandboxTest extends AbstractSandboxTest {
  @Override
  ExecutionMode mode() {
    return ExecutionMode.FORK_SERVER;
  }

  @Override
  Isolation isolation() {
    return Isolation.UNSHARE;
  }
}

package dev.text2code.evaluation.execution;

/** The hostile cases with the fallback isolation (unshare + setpriv, root only), fork server. */
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

package dev.text2code.evaluation.execution;

/**
 * The hostile cases with the unshare fallback (root only; its own mount namespace), fork server.
 */
class UnshareSandboxTest extends AbstractSandboxTest {
  UnshareSandboxTest() {
    super(ExecutionMode.FORK_SERVER, Isolation.UNSHARE);
  }
}

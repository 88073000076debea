package dev.text2code.evaluation.execution;

/**
 * The hostile cases under bubblewrap, forced (skipped with the reason where it is not found; name
 * an unpacked one with {@code -Dtext2code.sandbox.bubblewrap=PATH}), fork server.
 */
class BubblewrapSandboxTest extends AbstractSandboxTest {
  BubblewrapSandboxTest() {
    super(ExecutionMode.FORK_SERVER, Isolation.BUBBLEWRAP);
  }
}

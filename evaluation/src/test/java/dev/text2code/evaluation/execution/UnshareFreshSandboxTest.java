package dev.text2code.evaluation.execution;

/** The hostile cases with the unshare fallback (root only) and a fresh interpreter per sample. */
class UnshareFreshSandboxTest extends AbstractSandboxTest {
  @Override
  ExecutionMode mode() {
    return ExecutionMode.FRESH_INTERPRETER;
  }

  @Override
  Isolation isolation() {
    return Isolation.UNSHARE;
  }
}

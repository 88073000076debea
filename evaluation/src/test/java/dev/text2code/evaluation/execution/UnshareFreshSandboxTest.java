package dev.text2code.evaluation.execution;

/** The hostile cases with the unshare fallback (root only) and a fresh interpreter per sample. */
class UnshareFreshSandboxTest extends AbstractSandboxTest {
  UnshareFreshSandboxTest() {
    super(ExecutionMode.FRESH_INTERPRETER, Isolation.UNSHARE);
  }
}

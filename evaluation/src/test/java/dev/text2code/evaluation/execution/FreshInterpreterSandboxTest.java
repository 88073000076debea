package dev.text2code.evaluation.execution;

/** The hostile cases against a fresh interpreter per sample. */
class FreshInterpreterSandboxTest extends AbstractSandboxTest {
  FreshInterpreterSandboxTest() {
    super(ExecutionMode.FRESH_INTERPRETER, Isolation.AUTO);
  }
}

package dev.text2code.evaluation.execution;

/** The hostile cases against a fresh interpreter per sample. */
class FreshInterpreterSandboxTest extends AbstractSandboxTest {
  @Override
  ExecutionMode mode() {
    return ExecutionMode.FRESH_INTERPRETER;
  }
}

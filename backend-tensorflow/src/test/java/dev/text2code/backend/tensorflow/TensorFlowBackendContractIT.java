package dev.text2code.backend.tensorflow;

import dev.text2code.api.backend.AbstractBackendContractTest;
import dev.text2code.api.backend.Backend;

/** The sdk-api backend contract, run against the TensorFlow backend on CPU. */
class TensorFlowBackendContractIT extends AbstractBackendContractTest {
  @Override
  protected Backend backend() {
    return new TensorFlowBackend();
  }

  @Override
  protected boolean runsEveryArchitecture() {
    return true;
  }
}

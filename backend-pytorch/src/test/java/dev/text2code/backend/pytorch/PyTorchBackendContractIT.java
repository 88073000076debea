package dev.text2code.backend.pytorch;

import dev.text2code.api.backend.AbstractBackendContractTest;
import dev.text2code.api.backend.Backend;

/** The sdk-api backend contract, run against the PyTorch backend on CPU. */
class PyTorchBackendContractIT extends AbstractBackendContractTest {
  @Override
  protected Backend backend() {
    return new PyTorchBackend();
  }

  @Override
  protected boolean runsEveryArchitecture() {
    return true;
  }
}

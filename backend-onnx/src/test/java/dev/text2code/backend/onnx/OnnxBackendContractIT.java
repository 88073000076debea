package dev.text2code.backend.onnx;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.backend.AbstractBackendContractTest;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shared backend contract; the checkpoint comes from Java initialisation (onnx cannot train).
 */
class OnnxBackendContractIT extends AbstractBackendContractTest {
  @Override
  protected Backend backend() {
    return new OnnxBackend();
  }

  /** OnnxFamiliesIT checks every Hugging Face family against its reference logits. */
  @Override
  protected boolean runsEveryArchitecture() {
    return true;
  }

  @Override
  protected Path checkpointForGeneration(Path directory) {
    ModelSpec spec = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
    MappedRouter router = MappedRouter.copyOf(ContractFixtures.identityRouter());
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, 7)) weights.put(t.name(), t);
    new Checkpoint(spec, router, weights, Map.of(), Optional.empty(), 0, Map.of(), Map.of())
        .write(directory);
    return directory;
  }
}

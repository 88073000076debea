package dev.text2code.backend.tensorflow;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code tensorflow} backend: the model of docs/MODEL.md in TensorFlow Java graph mode.
 * Constructing it loads no native library; the natives load when the first session or generator
 * opens.
 */
public final class TensorFlowBackend implements Backend {
  public static final String NAME = "tensorflow";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.TRAIN, Capability.GENERATE);
  }

  @Override
  public TrainingSession openTraining(
      ModelSpec spec, TrainingConfig config, ModalityRouter router) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(config, "config");
    requireSupported(spec);
    if (router.embeddingRows() != spec.embeddingRows()) {
      throw new ConfigurationException(
          "model.embedding-rows = "
              + spec.embeddingRows()
              + " does not match the router's "
              + router.embeddingRows()
              + " rows; set it to the router's row count");
    }
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, config.seed())) {
      weights.put(t.name(), t);
    }
    return new TensorFlowTrainingSession(
        spec, config, MappedRouter.copyOf(router), weights, Map.of(), 0, "new model");
  }

  @Override
  public TrainingSession openTraining(Checkpoint init, TrainingConfig config) {
    Objects.requireNonNull(config, "config");
    requireSupported(init.spec());
    return new TensorFlowTrainingSession(
        init.spec(), config, init.router(), init.weights(), Map.of(), 0, "initial weights");
  }

  @Override
  public TrainingSession resumeTraining(Path checkpoint, TrainingConfig config) {
    Objects.requireNonNull(config, "config");
    Checkpoint saved = Checkpoint.read(checkpoint);
    requireSupported(saved.spec());
    if (saved.optimizer().isEmpty() && saved.completedSteps() > 0) {
      throw new CheckpointException(
          checkpoint
              + " holds no optimizer state ("
              + Checkpoint.OPTIMIZER_FILE
              + " is missing) after "
              + saved.completedSteps()
              + " steps, so training cannot continue exactly; it can still be opened for"
              + " generation");
    }
    return new TensorFlowTrainingSession(
        saved.spec(),
        config,
        saved.router(),
        saved.weights(),
        saved.optimizer(),
        saved.completedSteps(),
        checkpoint.resolve(Checkpoint.OPTIMIZER_FILE).toString());
  }

  @Override
  public Generator openGenerator(Path checkpoint, Device device) {
    Objects.requireNonNull(device, "device");
    Checkpoint saved = Checkpoint.read(checkpoint);
    requireSupported(saved.spec());
    return new dev.text2code.api.generation.GenerationLoop(new TensorFlowStep(saved, device));
  }

  /**
   * Every {@link Architecture} runs here except a PanGu-α top query layer on grouped key/value
   * heads (its cache layer has one kv head per query head), which no family has.
   */
  private void requireSupported(ModelSpec spec) {
    if (spec.architecture().topQueryLayer() && spec.kvHeads() != spec.heads()) {
      throw new dev.text2code.api.UnsupportedCapabilityException(
          "backend "
              + name()
              + " runs a top query layer (PanGu-alpha) only with as many kv heads as query heads;"
              + " this model has "
              + spec.kvHeads()
              + " kv heads for "
              + spec.heads()
              + " heads");
    }
  }
}

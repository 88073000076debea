package dev.text2code.backend.pytorch;

import ai.djl.util.cuda.CudaUtils;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code pytorch} backend: trains and samples the model of docs/MODEL.md with PyTorch through
 * DJL. Constructing it loads no native library; libtorch loads on the first session or generator.
 */
public final class PyTorchBackend implements Backend {
  public static final String NAME = "pytorch";

  private volatile Set<Capability> capabilities;

  @Override
  public String name() {
    return NAME;
  }

  /**
   * TRAIN and GENERATE; GPU only where a CUDA build of libtorch is on the class path (the {@code
   * gpu} Maven profile) and a CUDA device is visible. Decided without loading libtorch.
   */
  @Override
  public Set<Capability> capabilities() {
    Set<Capability> known = capabilities;
    if (known == null) {
      EnumSet<Capability> set = EnumSet.of(Capability.TRAIN, Capability.GENERATE);
      if (cudaUsable()) set.add(Capability.GPU);
      known = Collections.unmodifiableSet(set);
      capabilities = known;
    }
    return known;
  }

  private static boolean cudaUsable() {
    if (!Devices.cudaFlavourPossible()) return false;
    try {
      return CudaUtils.getGpuCount() > 0;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Resolves the devices of every replica (loading libtorch) and checks precision and replica
   * count: the errors a session would raise, before any data is read.
   */
  @Override
  public void checkTraining(TrainingConfig config) {
    List<ai.djl.Device> devices = Devices.replicas(config.placement(), config.dataParallel());
    MixedPrecision.requireGpuFor(config.precision(), devices.get(0), "training.precision");
    MixedPrecision.requireSupported(config.precision(), "training.precision");
    int micro = config.batchSize() / config.gradientAccumulation();
    if (micro % devices.size() != 0) {
      throw new dev.text2code.api.ConfigurationException(
          "training.data-parallel gives "
              + devices.size()
              + " replicas, which do not divide the micro-batch of "
              + micro
              + " rows (training.batch-size / training.gradient-accumulation)");
    }
  }

  @Override
  public TrainingSession openTraining(
      ModelSpec spec, TrainingConfig config, ModalityRouter router) {
    return afterLoading(
        spec, PyTorchTrainingSession.open(spec, config, MappedRouter.copyOf(router)));
  }

  /**
   * A large model's initial weights were Java arrays (0.5 GB for GPT-2-small) that are garbage once
   * libtorch holds them: a full collection lets the JVM give that heap back before training
   * allocates its activations (GPT-2-small, 2 x 512: about 0.6 GB less peak RSS).
   */
  private static <T> T afterLoading(ModelSpec spec, T session) {
    if (spec.parameterCount() >= Devices.MANY_THREADS_FROM_PARAMETERS) System.gc();
    return session;
  }

  @Override
  public TrainingSession openTraining(
      dev.text2code.api.checkpoint.Checkpoint init, TrainingConfig config) {
    return afterLoading(init.spec(), PyTorchTrainingSession.startingFrom(init, config));
  }

  @Override
  public TrainingSession resumeTraining(Path checkpoint, TrainingConfig config) {
    TrainingSession session = PyTorchTrainingSession.resume(checkpoint, config);
    return afterLoading(session.spec(), session);
  }

  @Override
  public Generator openGenerator(Path checkpoint, Device device) {
    return PyTorchStep.generator(checkpoint, device);
  }
}

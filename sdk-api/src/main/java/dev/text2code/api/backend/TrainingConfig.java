package dev.text2code.api.backend;

import static dev.text2code.api.ConfigurationException.require;

import java.util.Objects;

/**
 * Optimisation settings: AdamW with linear warm-up then cosine decay to {@code minLearningRate},
 * gradient clipping by global norm, gradient accumulation.
 *
 * @param seed seeds parameter initialisation and dropout
 * @param batchSize examples per optimizer step (split into {@code gradientAccumulation}
 *     micro-batches)
 * @param maxSteps optimizer steps of the whole run (sets the cosine schedule's length)
 * @param warmupSteps linear warm-up steps
 * @param gradientClip maximum global gradient norm; 0 disables clipping
 * @param evalInterval steps between held-out evaluations; 0 disables them
 * @param device where the training computes ({@code gpu:N} is {@code GPU} with {@code gpuIndex} N)
 * @param gpuIndex the GPU number of {@code device = gpu:N} (the first replica's GPU with
 *     data-parallel training); -1 where none was given
 * @param precision fp32, or mixed precision (bf16/fp16 compute, fp32 master weights, optimizer
 *     state and checkpoints); the 16-bit types need a GPU
 * @param dataParallel replicas that each compute the gradient of an equal share of every
 *     micro-batch before one optimizer step on their sum (1: no data parallelism; 0: one replica
 *     per visible GPU); must divide the micro-batch size
 */
public record TrainingConfig(
    long seed,
    int batchSize,
    int gradientAccumulation,
    long maxSteps,
    double learningRate,
    double minLearningRate,
    long warmupSteps,
    double weightDecay,
    double beta1,
    double beta2,
    double epsilon,
    double gradientClip,
    long evalInterval,
    Device device,
    int gpuIndex,
    Precision precision,
    int dataParallel) {
  public TrainingConfig {
    require(batchSize > 0, "training.batch-size", batchSize, "a positive integer");
    require(
        gradientAccumulation > 0 && batchSize % gradientAccumulation == 0,
        "training.gradient-accumulation",
        gradientAccumulation,
        "a positive divisor of training.batch-size (" + batchSize + ")");
    require(maxSteps > 0, "training.max-steps", maxSteps, "a positive integer");
    require(
        learningRate > 0 && Double.isFinite(learningRate),
        "training.learning-rate",
        learningRate,
        "> 0");
    require(
        minLearningRate >= 0 && minLearningRate <= learningRate,
        "training.min-learning-rate",
        minLearningRate,
        "a value in [0, training.learning-rate = " + learningRate + "]");
    require(
        warmupSteps >= 0 && warmupSteps <= maxSteps,
        "training.warmup-steps",
        warmupSteps,
        "in [0, max-steps]");
    require(weightDecay >= 0, "training.weight-decay", weightDecay, ">= 0");
    require(beta1 >= 0 && beta1 < 1, "training.beta1", beta1, "a value in [0, 1)");
    require(beta2 >= 0 && beta2 < 1, "training.beta2", beta2, "a value in [0, 1)");
    require(epsilon > 0, "training.epsilon", epsilon, "> 0");
    require(
        gradientClip >= 0, "training.gradient-clip", gradientClip, ">= 0 (0 disables clipping)");
    require(
        evalInterval >= 0, "training.eval-interval", evalInterval, ">= 0 (0 disables evaluation)");
    Objects.requireNonNull(device, "device");
    new Placement(device, gpuIndex); // validates the index
    Objects.requireNonNull(precision, "training.precision");
    int micro = batchSize / gradientAccumulation;
    require(
        dataParallel >= 0 && (dataParallel == 0 || micro % dataParallel == 0),
        "training.data-parallel",
        dataParallel,
        "0 (one replica per GPU) or a positive divisor of the micro-batch size "
            + "training.batch-size / training.gradient-accumulation = "
            + micro);
  }

  /** fp32 on the first device of its kind, no data parallelism. */
  public TrainingConfig(
      long seed,
      int batchSize,
      int gradientAccumulation,
      long maxSteps,
      double learningRate,
      double minLearningRate,
      long warmupSteps,
      double weightDecay,
      double beta1,
      double beta2,
      double epsilon,
      double gradientClip,
      long evalInterval,
      Device device) {
    this(
        seed,
        batchSize,
        gradientAccumulation,
        maxSteps,
        learningRate,
        minLearningRate,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        epsilon,
        gradientClip,
        evalInterval,
        device,
        -1,
        Precision.FP32,
        1);
  }

  /** Small, sane defaults for tests and tiny runs. */
  public static TrainingConfig defaults(long seed, int batchSize, long maxSteps) {
    return new TrainingConfig(
        seed,
        batchSize,
        1,
        maxSteps,
        1e-3,
        1e-4,
        Math.min(10, maxSteps),
        0.01,
        0.9,
        0.95,
        1e-8,
        1.0,
        0,
        Device.CPU);
  }

  /**
   * The learning rate for a 0-based optimizer step: linear warm-up, then cosine decay to the
   * minimum.
   */
  public double learningRateAt(long step) {
    if (warmupSteps > 0 && step < warmupSteps) {
      return learningRate * (step + 1) / warmupSteps;
    }
    long decaySteps = Math.max(1, maxSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    return minLearningRate
        + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress));
  }

  /** The {@code device} key's value: the device and its GPU number. */
  public Placement placement() {
    return new Placement(device, gpuIndex);
  }

  /** The same settings on another device (without a GPU number). */
  public TrainingConfig withDevice(Device newDevice) {
    return withPlacement(Placement.of(newDevice));
  }

  /** The same settings on another device, e.g. {@code Placement.parse("gpu:1")}. */
  public TrainingConfig withPlacement(Placement p) {
    return withHardware(p.device(), p.gpuIndex(), precision, dataParallel);
  }

  /** The same settings with another compute precision. */
  public TrainingConfig withPrecision(Precision newPrecision) {
    return withHardware(device, gpuIndex, newPrecision, dataParallel);
  }

  /** The same settings with another number of data-parallel replicas. */
  public TrainingConfig withDataParallel(int replicas) {
    return withHardware(device, gpuIndex, precision, replicas);
  }

  private TrainingConfig withHardware(
      Device newDevice, int newGpuIndex, Precision newPrecision, int replicas) {
    return new TrainingConfig(
        seed,
        batchSize,
        gradientAccumulation,
        maxSteps,
        learningRate,
        minLearningRate,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        epsilon,
        gradientClip,
        evalInterval,
        newDevice,
        newGpuIndex,
        newPrecision,
        replicas);
  }
}

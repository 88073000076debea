package dev.text2code.backend.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.StepResult;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Provenance;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.checkpoint.TrainingOrigin;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains {@link GptModel} exactly as docs/MODEL.md specifies: modality-restricted cross-entropy
 * summed over the whole batch (all micro-batches) and divided by its labelled positions,
 * global-norm clipping, AdamW with PyTorch semantics, the schedule of {@link
 * TrainingConfig#learningRateAt}, dropout re-seeded from (seed, step).
 *
 * <p>{@code training.precision = bf16 | fp16} computes the passes in 16 bits over float32 master
 * weights and optimizer state ({@link MixedPrecision}; fp16 with {@link LossScaler}), on a GPU
 * only. {@code training.data-parallel = N} splits every micro-batch over N replicas ({@link
 * DataParallel}) whose summed gradients make one optimizer step; with dropout 0 the losses equal
 * those of one device with the same global batch.
 */
public final class PyTorchTrainingSession implements TrainingSession {

  private final ModelSpec spec;
  private final TrainingConfig config;
  private final MappedRouter router;
  private final Engine engine;
  private final NDManager manager;
  private final GptModel model;

  /**
   * Mixed precision: the float32 master weights AdamW updates ({@code model} is 16-bit); else null.
   */
  private final GptModel masters;

  private final AdamW optimizer;
  private final float[] modalityBias;
  private final Map<GptModel, NDArray> modalityBiasArrays = new java.util.IdentityHashMap<>();
  private final Map<GptModel, NDArray> float32Zeros = new java.util.IdentityHashMap<>();
  private final DataParallel replicas;
  private final LossScaler lossScaler;
  private long completedSteps;
  private boolean gradientsAllocated;
  private boolean closed;

  private PyTorchTrainingSession(
      ModelSpec spec,
      TrainingConfig config,
      MappedRouter router,
      Map<String, Tensor> weights,
      Map<String, Tensor> moments,
      long completedSteps,
      Map<String, String> state,
      boolean cpuMixedPrecision) {
    this.spec = spec;
    this.config = config;
    this.router = router;
    this.engine = Devices.threadsFor(spec);
    List<ai.djl.Device> devices = Devices.replicas(config.placement(), config.dataParallel());
    if (cpuMixedPrecision) {
      MixedPrecision.requireSupported(config.precision(), "training.precision");
    } else {
      new PyTorchBackend().checkTraining(config);
    }
    ai.djl.ndarray.types.DataType computeType = MixedPrecision.computeType(config.precision());
    this.manager = engine.newBaseManager(devices.get(0));
    DataParallel others = null;
    try {
      this.model = GptModel.load(spec, weights, manager, true, computeType);
      this.masters =
          computeType == ai.djl.ndarray.types.DataType.FLOAT32
              ? null
              : GptModel.load(spec, weights, manager, false);
      GptModel updated = masters == null ? model : masters;
      this.optimizer =
          moments.isEmpty() ? new AdamW(updated, config) : AdamW.restore(updated, config, moments);
      others = new DataParallel(spec, weights, devices, computeType);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    this.replicas = others;
    this.lossScaler =
        config.precision() == dev.text2code.api.backend.Precision.FP16
            ? restoreScaler(state)
            : null;
    this.modalityBias = ModalityMasks.bias(router);
    this.completedSteps = completedSteps;
  }

  /** A freshly initialised model ({@link ParameterLayout#initialize}, seeded by the config). */
  static PyTorchTrainingSession open(ModelSpec spec, TrainingConfig config, MappedRouter router) {
    return open(spec, config, router, false);
  }

  /**
   * Like {@link #open(ModelSpec, TrainingConfig, MappedRouter)}; {@code cpuMixedPrecision} lets
   * bf16/fp16 run on the CPU (libtorch has CPU kernels for both), which users are refused: tests
   * exercise the mixed-precision path with it where no GPU exists.
   */
  static PyTorchTrainingSession open(
      ModelSpec spec, TrainingConfig config, MappedRouter router, boolean cpuMixedPrecision) {
    if (router.embeddingRows() != spec.embeddingRows()) {
      throw new dev.text2code.api.ConfigurationException(
          "model.embedding-rows = "
              + spec.embeddingRows()
              + " but the modality router has "
              + router.embeddingRows()
              + " rows; they must be equal");
    }
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, config.seed()))
      weights.put(t.name(), t);
    return new PyTorchTrainingSession(
        spec, config, router, weights, Map.of(), 0, Map.of(), cpuMixedPrecision);
  }

  /**
   * Step 0 from {@code init}'s weights with a fresh optimizer (continued pre-training), of any
   * architecture (an imported pretrained model, for instance).
   */
  static PyTorchTrainingSession startingFrom(Checkpoint init, TrainingConfig config) {
    return new PyTorchTrainingSession(
        init.spec(), config, init.router(), init.weights(), Map.of(), 0, Map.of(), false);
  }

  private static final String LOSS_SCALE = "loss-scale";
  private static final String LOSS_SCALE_GOOD_STEPS = "loss-scale-good-steps";

  private static LossScaler restoreScaler(Map<String, String> state) {
    String scale = state.get(LOSS_SCALE);
    if (scale == null) return LossScaler.standard();
    try {
      return LossScaler.restore(
          Double.parseDouble(scale),
          Integer.parseInt(state.getOrDefault(LOSS_SCALE_GOOD_STEPS, "0")),
          LossScaler.GROWTH_INTERVAL);
    } catch (NumberFormatException e) {
      throw new CheckpointException(
          "checkpoint state " + LOSS_SCALE + " = " + scale + " is not a number", e);
    }
  }

  /** Continues from a checkpoint; it must carry optimizer state so that resuming is exact. */
  static PyTorchTrainingSession resume(Path directory, TrainingConfig config) {
    return resume(directory, config, false);
  }

  /**
   * Like {@link #resume(Path, TrainingConfig)}; see {@link #open(ModelSpec, TrainingConfig,
   * MappedRouter, boolean)}.
   */
  static PyTorchTrainingSession resume(
      Path directory, TrainingConfig config, boolean cpuMixedPrecision) {
    Checkpoint checkpoint = Checkpoint.read(directory);
    if (checkpoint.optimizer().isEmpty()) {
      throw new CheckpointException(
          directory
              + " has no "
              + Checkpoint.OPTIMIZER_FILE
              + " (an export-only checkpoint); training cannot resume exactly from it");
    }
    return new PyTorchTrainingSession(
        checkpoint.spec(),
        config,
        checkpoint.router(),
        checkpoint.weights(),
        checkpoint.optimizer(),
        checkpoint.completedSteps(),
        checkpoint.state(),
        cpuMixedPrecision);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public TrainingConfig config() {
    return config;
  }

  /** The model being trained (for inspection and export). */
  public GptModel model() {
    ensureOpen();
    return model;
  }

  @Override
  public StepResult step(List<TrainingExample> batch) {
    ensureOpen();
    int micro = config.gradientAccumulation();
    if (batch.isEmpty() || batch.size() % micro != 0) {
      throw new InvalidInputException(
          "a batch of "
              + batch.size()
              + " examples cannot be split into training.gradient-accumulation = "
              + micro
              + " equal micro-batches");
    }
    int microSize = batch.size() / micro;
    int shares = 1 + replicas.others().size();
    int shareSize = microSize / shares;
    // parts.get(i).get(r): replica r's share of micro-batch i
    List<List<Batch>> parts = new ArrayList<>();
    long labelled = 0;
    for (int i = 0; i < micro; i++) {
      List<Batch> split = new ArrayList<>();
      for (int r = 0; r < shares; r++) {
        int from = i * microSize + r * shareSize;
        Batch share = Batch.of(batch.subList(from, from + shareSize), spec);
        labelled += share.labelledCount();
        split.add(share);
      }
      parts.add(split);
    }
    long stepNumber = completedSteps + 1;
    if (labelled == 0) {
      throw new InvalidInputException(
          "step " + stepNumber + ": the batch has no labelled position (every label is IGNORE)");
    }
    double learningRate = config.learningRateAt(completedSteps);
    double loss = accumulateGradients(parts, labelled);
    replicas.allReduceInto(model);
    try (NDScope scope = new NDScope()) {
      Map<String, NDArray> gradients = masters == null ? null : float32Gradients();
      return update(loss, labelled, stepNumber, learningRate, gradients);
    }
  }

  /** float32 copies of the 16-bit model's gradients, by parameter name. */
  private Map<String, NDArray> float32Gradients() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      out.put(
          e.getKey(),
          e.getValue().getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
    }
    return out;
  }

  private StepResult update(
      double loss,
      long labelled,
      long stepNumber,
      double learningRate,
      Map<String, NDArray> gradients) {
    double lossScale = lossScaler == null ? 1.0 : lossScaler.scale();
    double norm =
        Double.isFinite(loss) ? optimizer.gradientNorm(gradients) / lossScale : Double.NaN;
    if (lossScaler != null && Double.isFinite(loss) && !lossScaler.update(Double.isFinite(norm))) {
      // fp16 overflow: no update, a smaller scale next step (the schedule still advances)
      completedSteps = stepNumber;
      return new StepResult(stepNumber, loss, learningRate, norm, labelled);
    }
    if (!Double.isFinite(loss)) {
      throw new Text2CodeException(
          "step "
              + stepNumber
              + ": the loss is "
              + loss
              + "; training stopped and no parameter was updated (lower training.learning-rate,"
              + " check the data, or resume from the last checkpoint)");
    }
    if (!Double.isFinite(norm)) {
      throw new Text2CodeException(
          "step "
              + stepNumber
              + ": the gradient norm is "
              + norm
              + " although the loss is "
              + loss
              + nonFiniteGradients()
              + "; training stopped and no parameter was updated");
    }
    double clip = config.gradientClip();
    double scale = clip > 0 && norm > clip ? clip / (norm + 1e-6) : 1.0;
    optimizer.update(learningRate, scale / lossScale, stepNumber, gradients);
    if (masters != null) copyMastersIntoModel();
    replicas.broadcastFrom(model);
    completedSteps = stepNumber;
    return new StepResult(stepNumber, loss, learningRate, norm, labelled);
  }

  /**
   * Forward and backward over every micro-batch into freshly zeroed gradients; returns the batch
   * loss.
   */
  private double accumulateGradients(List<List<Batch>> parts, long labelled) {
    if (spec.dropout() > 0) engine.setRandomSeed(dropoutSeed(config.seed(), completedSteps));
    if (gradientsAllocated) {
      zeroGradients(model);
      for (GptModel r : replicas.others()) zeroGradients(r);
    }
    double loss = 0;
    for (List<Batch> split : parts) {
      try (NDScope scope = new NDScope()) {
        // every replica's backward is queued before any loss is read, so GPUs overlap
        List<NDArray> losses = new ArrayList<>();
        for (int r = 0; r < split.size(); r++) {
          Batch share = split.get(r);
          GptModel replica = r == 0 ? model : replicas.others().get(r - 1);
          if (share.labelledCount() == 0) {
            // its gradients must still exist for the all-reduce: a zero loss through the graph
            if (!gradientsAllocated) backwardZero(replica);
            continue;
          }
          try (GradientCollector collector = engine.newGradientCollector()) {
            NDArray partLoss = scaledLoss(replica, share, labelled);
            collector.backward(
                lossScaler == null
                    ? partLoss
                    : partLoss.mul(GptModel.scalar(replica.manager(), lossScaler.scale())));
            losses.add(partLoss);
          }
        }
        gradientsAllocated = true;
        for (NDArray l : losses) loss += l.getFloat();
      }
    }
    return loss;
  }

  /** The 16-bit model takes the updated float32 masters (rounded), outside autograd. */
  private void copyMastersIntoModel() {
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        NDArray p = e.getValue();
        p.muli(0).addi(masters.parameter(e.getKey()).toType(p.getDataType(), false));
      }
    }
  }

  /** Allocates zero gradients for every parameter of a model (a share without labels). */
  private void backwardZero(GptModel m) {
    try (NDScope scope = new NDScope();
        GradientCollector collector = engine.newGradientCollector()) {
      NDArray total = null;
      for (NDArray p : m.parameters().values()) {
        NDArray s = p.sum().mul(GptModel.scalar(m.manager(), 0));
        total = total == null ? s : total.add(s);
      }
      collector.backward(total);
    }
  }

  /**
   * A part's training loss divided by the labelled positions of the whole batch, with dropout: the
   * graph that {@link #step} differentiates. Its scalars are libtorch-owned ({@link
   * GptModel#scalar}), so the graph stays valid however long the caller waits before backward.
   */
  NDArray scaledLoss(Batch part, long labelled) {
    return scaledLoss(model, part, labelled);
  }

  private NDArray scaledLoss(GptModel m, Batch part, long labelled) {
    return lossSum(m, part, true).div(GptModel.scalar(m.manager(), labelled));
  }

  /** The parameters whose gradient holds a non-finite value, for messages. */
  private String nonFiniteGradients() {
    List<String> names = new ArrayList<>();
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        NDArray g = e.getValue().getGradient();
        if (g != null && !Double.isFinite(g.square().sum().getFloat())) names.add(e.getKey());
      }
    }
    return names.isEmpty() ? "" : " (non-finite gradients in " + String.join(", ", names) + ")";
  }

  /** The engine seed for dropout at a 0-based step: a pure function of (seed, step). */
  static int dropoutSeed(long seed, long step) {
    long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) (z & 0x7FFFFFFF);
  }

  private static void zeroGradients(GptModel m) {
    try (NDScope scope = new NDScope()) {
      for (NDArray p : m.parameters().values()) {
        ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
      }
    }
  }

  /** Σ −log p(label) over the labelled positions of a part, restricted by target modality. */
  private NDArray lossSum(GptModel model, Batch part, boolean training) {
    NDManager m = model.manager();
    NDArray hidden =
        model.hidden(part.inputIds(m), part.positionIds(m), part.attentionBias(m), training);
    NDArray positions = m.create(part.labelledPositions);
    NDArray selected = GptModel.rows(hidden.reshape(-1, spec.width()), positions);
    NDArray logits = model.logits(selected);
    // an op with a float32 operand promotes 16-bit logits to float32 and stays differentiable
    // (DJL's toType is not): log-softmax and loss are computed in float32
    if (modalityBias.length > 0) {
      NDArray modalities = m.create(part.targetModalities);
      logits = logits.add(GptModel.rows(modalityBias(model), modalities));
    } else if (logits.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
      logits = logits.add(float32Zero(model));
    }
    NDArray labels = m.create(part.labels, new Shape(part.labelledCount(), 1));
    return logits.logSoftmax(-1).gather(labels, 1).sum().neg();
  }

  /** Mixed precision: the log-softmax and the loss are computed in float32. */
  private static NDArray toFloat32(NDArray a) {
    return a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32
        ? a
        : a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
  }

  private NDArray float32Zero(GptModel m) {
    return float32Zeros.computeIfAbsent(
        m,
        k -> {
          try (NDScope scope = new NDScope()) {
            NDArray z = k.manager().zeros(new Shape(1), ai.djl.ndarray.types.DataType.FLOAT32);
            NDScope.unregister(z);
            return z;
          }
        });
  }

  private NDArray modalityBias(GptModel m) {
    NDArray known = modalityBiasArrays.get(m);
    if (known == null) {
      try (NDScope scope = new NDScope()) {
        known = m.manager().create(modalityBias, new Shape(2, spec.embeddingRows()));
        NDScope.unregister(known);
      }
      modalityBiasArrays.put(m, known);
    }
    return known;
  }

  @Override
  public double evaluate(List<TrainingExample> examples) {
    ensureOpen();
    if (examples.isEmpty()) throw new InvalidInputException("evaluate needs at least one example");
    int chunk = Math.max(1, config.batchSize() / config.gradientAccumulation());
    double sum = 0;
    long labelled = 0;
    int start = 0;
    while (start < examples.size()) {
      int end = start + 1;
      int length = examples.get(start).length();
      while (end < examples.size() && end - start < chunk && examples.get(end).length() == length)
        end++;
      Batch part = Batch.of(examples.subList(start, end), spec);
      if (part.labelledCount() > 0) {
        try (NDScope scope = new NDScope()) {
          sum += lossSum(model, part, false).getFloat();
        }
        labelled += part.labelledCount();
      }
      start = end;
    }
    if (labelled == 0) {
      throw new InvalidInputException("evaluate: no example has a labelled position");
    }
    return sum / labelled;
  }

  @Override
  public float[][] logits(TrainingExample example) {
    ensureOpen();
    Batch one = Batch.of(List.of(example), spec);
    try (NDScope scope = new NDScope()) {
      NDManager m = model.manager();
      NDArray logits =
          toFloat32(
              model.logits(
                  model.hidden(one.inputIds(m), one.positionIds(m), one.attentionBias(m), false)));
      float[] flat = logits.toFloatArray();
      int rows = spec.embeddingRows();
      float[][] out = new float[one.length][];
      for (int t = 0; t < one.length; t++) {
        out[t] = java.util.Arrays.copyOfRange(flat, t * rows, (t + 1) * rows);
      }
      return out;
    }
  }

  @Override
  public long completedSteps() {
    ensureOpen();
    return completedSteps;
  }

  /** The checkpoint this session would write (weights and optimizer copied to host memory). */
  public Checkpoint toCheckpoint() {
    return toCheckpoint(TrainingOrigin.UNKNOWN);
  }

  /** {@link #toCheckpoint()} with the trainer's origin in its provenance. */
  public Checkpoint toCheckpoint(TrainingOrigin origin) {
    ensureOpen();
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : (masters == null ? model : masters).toTensors()) weights.put(t.name(), t);
    Map<String, String> state = new LinkedHashMap<>();
    state.put("dropout-rng", "engine seed re-derived from (training.seed, step) at every step");
    if (lossScaler != null) {
      state.put(LOSS_SCALE, Double.toString(lossScaler.scale()));
      state.put(LOSS_SCALE_GOOD_STEPS, Integer.toString(lossScaler.goodSteps()));
    }
    Provenance provenance =
        Provenance.ofTraining(
            PyTorchBackend.NAME,
            Map.of(
                "engine",
                engine.getEngineName() + " " + engine.getVersion(),
                "djl",
                Engine.getDjlVersion()),
            origin);
    return new Checkpoint(
        spec,
        router,
        weights,
        optimizer.moments(),
        Optional.of(config),
        completedSteps,
        state,
        provenance);
  }

  @Override
  public void save(Path directory, TrainingOrigin origin) {
    toCheckpoint(origin).write(directory);
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("this pytorch training session is closed");
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    replicas.close();
    manager.close();
  }
}

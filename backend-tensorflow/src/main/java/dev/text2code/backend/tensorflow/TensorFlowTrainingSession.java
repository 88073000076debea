package dev.text2code.backend.tensorflow;

import dev.text2code.api.CheckpointException;
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
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Training in TensorFlow graph mode. The graph computes the summed loss and its gradients with
 * respect to parameters fed as placeholders; the parameters and the AdamW moments live in Java
 * float arrays, where accumulation, clipping and the update follow docs/MODEL.md exactly.
 */
final class TensorFlowTrainingSession implements TrainingSession {
  private final ModelSpec spec;
  private final TrainingConfig config;
  private final MappedRouter router;
  private final List<ParameterLayout.Parameter> layout;
  private final Encoded.Targets targets;
  private final float[][] values;
  private final float[][] firstMoments;
  private final float[][] secondMoments;
  private long completedSteps;

  private final Graph graph;
  private final Session session;
  private final List<Placeholder<TFloat32>> parameterInputs = new ArrayList<>();
  private final Placeholder<TInt32> ids;
  private final Placeholder<TInt32> positions;
  private final Placeholder<TInt32> segments;
  private final Placeholder<TInt32> prefixEnds;
  private final Placeholder<TInt64> labelIndices;
  private final Optional<Placeholder<TFloat32>> targetIsCode;
  private final Optional<Placeholder<TFloat32>> dropoutRate;
  private final Optional<Placeholder<TInt64>> dropoutSeed;
  private final Operand<TFloat32> lossSum;
  private final Operand<TFloat32> logits;
  private final Gradients gradients;
  private TFloat32[] parameterTensors;
  private boolean closed;

  /**
   * @param moments {@code adam.m.NAME} and {@code adam.v.NAME} tensors; empty for a fresh run
   */
  TensorFlowTrainingSession(
      ModelSpec spec,
      TrainingConfig config,
      MappedRouter router,
      Map<String, Tensor> weights,
      Map<String, Tensor> moments,
      long completedSteps,
      String where) {
    this.spec = spec;
    this.config = config;
    this.router = router;
    this.layout = ParameterLayout.parameters(spec);
    this.targets = Encoded.Targets.of(router);
    this.completedSteps = completedSteps;
    int count = layout.size();
    values = new float[count][];
    firstMoments = new float[count][];
    secondMoments = new float[count][];
    for (int i = 0; i < count; i++) {
      ParameterLayout.Parameter p = layout.get(i);
      values[i] = weights.get(p.name()).data().clone();
      firstMoments[i] = moment(moments, "adam.m." + p.name(), p, where);
      secondMoments[i] = moment(moments, "adam.v." + p.name(), p, where);
    }
    var sessionConfig = Devices.configFor(config.device());
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> byName = new LinkedHashMap<>();
      for (ParameterLayout.Parameter p : layout) {
        Placeholder<TFloat32> input =
            tf.withName("param_" + p.name())
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(p.shape())));
        parameterInputs.add(input);
        byName.put(p.name(), input);
      }
      ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      positions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      segments = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      prefixEnds = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<TFloat32> mask = attentionMask(tf, segments, prefixEnds);
      labelIndices = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
      if (spec.dropout() > 0) {
        dropoutRate =
            Optional.of(tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())));
        dropoutSeed = Optional.of(tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2))));
      } else {
        dropoutRate = Optional.empty();
        dropoutSeed = Optional.empty();
      }
      Optional<TransformerGraph.Dropout> dropout =
          dropoutRate.map(rate -> new TransformerGraph.Dropout(rate, dropoutSeed.get()));
      TransformerGraph model = new TransformerGraph(tf, spec, byName, dropout);
      Operand<TFloat32> hidden =
          model.forward(ids, positions, Optional.empty(), mask, Optional.empty(), true).hidden();
      logits = model.logits(hidden);
      Operand<TFloat32> scored = logits;
      if (Encoded.restricts(router)) {
        // modality-restricted softmax: code targets over the code rows, text targets over the text
        Placeholder<TFloat32> code =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
        targetIsCode = Optional.of(code);
        Operand<TFloat32> isCode = tf.reshape(code, tf.constant(new int[] {-1, 1}));
        float[] textBias = Encoded.bias(router.textVocabularyMask());
        float[] codeBias = Encoded.bias(router.codeVocabularyMask());
        // text + isCode * (code - text) is exactly the text or the code bias (0 or -1e9)
        float[] difference = new float[textBias.length];
        for (int r = 0; r < difference.length; r++) difference[r] = codeBias[r] - textBias[r];
        Operand<TFloat32> bias =
            tf.math.add(tf.constant(textBias), tf.math.mul(isCode, tf.constant(difference)));
        scored = tf.math.add(logits, bias);
      } else {
        targetIsCode = Optional.empty();
      }
      Operand<TFloat32> logProbabilities = tf.nn.logSoftmax(scored);
      // pick log p(label) by flat index (position * rows + label): no [positions, rows] one-hot
      Operand<TFloat32> picked =
          tf.gather(
              tf.reshape(logProbabilities, tf.constant(new int[] {-1})),
              labelIndices,
              tf.constant(0));
      lossSum = tf.math.neg(tf.sum(picked, tf.constant(0)));
      gradients = tf.gradients(lossSum, parameterInputs);
      session = new Session(graph, sessionConfig);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * AttentionSpec.canAttend as tensor ops: query q sees key k iff both are in one segment and k <=
   * q or both lie before the segment's prefix end. Returns 1/0 floats {@code [rows, q, k]}.
   */
  private static Operand<TFloat32> attentionMask(
      Ops tf, Operand<TInt32> segments, Operand<TInt32> prefixEnds) {
    Operand<TInt32> length = tf.gather(tf.shape(segments), tf.constant(1), tf.constant(0));
    Operand<TInt32> index = tf.range(tf.constant(0), length, tf.constant(1));
    Operand<TInt32> query = tf.reshape(index, tf.constant(new int[] {1, -1, 1}));
    Operand<TInt32> key = tf.reshape(index, tf.constant(new int[] {1, 1, -1}));
    Operand<TInt32> end = tf.expandDims(prefixEnds, tf.constant(2));
    var sameSegment =
        tf.math.equal(
            tf.expandDims(segments, tf.constant(2)), tf.expandDims(segments, tf.constant(1)));
    var causal = tf.math.lessEqual(key, query);
    var inPrefix = tf.math.logicalAnd(tf.math.less(key, end), tf.math.less(query, end));
    return tf.dtypes.cast(
        tf.math.logicalAnd(sameSegment, tf.math.logicalOr(causal, inPrefix)), TFloat32.class);
  }

  private static float[] moment(
      Map<String, Tensor> moments, String name, ParameterLayout.Parameter p, String where) {
    if (moments.isEmpty()) return new float[p.size()];
    Tensor t = moments.get(name);
    if (t == null) {
      throw new CheckpointException(
          where
              + ": optimizer state "
              + name
              + " is missing; expected adam.m/adam.v for every"
              + " parameter");
    }
    if (t.data().length != p.size()) {
      throw new CheckpointException(
          where
              + ": optimizer state "
              + name
              + " has "
              + t.data().length
              + " values but "
              + p.name()
              + " has "
              + p.size());
    }
    return t.data().clone();
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public TrainingConfig config() {
    return config;
  }

  @Override
  public long completedSteps() {
    return completedSteps;
  }

  @Override
  public StepResult step(List<TrainingExample> batch) {
    checkOpen();
    long step = completedSteps + 1;
    int microBatches = config.gradientAccumulation();
    if (batch.size() % microBatches != 0) {
      throw new dev.text2code.api.InvalidInputException(
          "step "
              + step
              + ": batch of "
              + batch.size()
              + " examples cannot be split into "
              + "training.gradient-accumulation = "
              + microBatches
              + " equal micro-batches");
    }
    String where = "step " + step;
    int microSize = batch.size() / microBatches;
    List<Encoded> parts = new ArrayList<>();
    long labelled = 0;
    for (int i = 0; i < microBatches; i++) {
      Encoded e =
          Encoded.of(batch.subList(i * microSize, (i + 1) * microSize), spec, targets, where);
      parts.add(e);
      labelled += e.labelled();
    }
    if (labelled == 0) {
      throw new dev.text2code.api.InvalidInputException(
          where + ": the batch has no labelled position, so there is no loss to minimise");
    }
    float[][] sums = new float[values.length][];
    for (int i = 0; i < values.length; i++) sums[i] = new float[values[i].length];
    double total = 0;
    for (int micro = 0; micro < parts.size(); micro++) {
      Encoded part = parts.get(micro);
      try (Inputs in = new Inputs()) {
        Session.Runner runner = feed(in, part, true, completedSteps, micro).fetch(lossSum);
        for (int i = 0; i < values.length; i++) runner.fetch(gradients.dy(i));
        Result result = runner.run();
        try (result) {
          float partLoss = ((TFloat32) result.get(0)).getFloat();
          if (!Float.isFinite(partLoss)) throw nonFinite(step, partLoss);
          total += partLoss;
          for (int i = 0; i < values.length; i++) {
            float[] g = new float[values[i].length];
            ((TFloat32) result.get(i + 1)).copyTo(DataBuffers.of(g, false, false));
            float[] s = sums[i];
            for (int j = 0; j < g.length; j++) s[j] += g[j];
          }
        }
      }
    }
    double loss = total / labelled;
    float inverse = (float) (1.0 / labelled);
    double squares = 0;
    for (float[] s : sums) {
      for (int j = 0; j < s.length; j++) {
        s[j] *= inverse;
        squares += (double) s[j] * s[j];
      }
    }
    double norm = Math.sqrt(squares);
    if (!Double.isFinite(norm)) throw nonFinite(step, norm);
    if (config.gradientClip() > 0 && norm > config.gradientClip()) {
      float factor = (float) (config.gradientClip() / (norm + 1e-6));
      for (float[] s : sums) for (int j = 0; j < s.length; j++) s[j] *= factor;
    }
    double learningRate = config.learningRateAt(completedSteps);
    for (int i = 0; i < values.length; i++) {
      AdamW.update(
          values[i],
          sums[i],
          firstMoments[i],
          secondMoments[i],
          step,
          learningRate,
          config.weightDecay(),
          layout.get(i).decayed(),
          config.beta1(),
          config.beta2(),
          config.epsilon());
    }
    releaseParameterTensors();
    completedSteps = step;
    return new StepResult(step, loss, learningRate, norm, labelled);
  }

  private static Text2CodeException nonFinite(long step, double value) {
    return new Text2CodeException(
        "step "
            + step
            + ": the loss or gradient is not finite ("
            + value
            + "); the run stops"
            + " and no parameter was updated (lower training.learning-rate or check the data)");
  }

  @Override
  public double evaluate(List<TrainingExample> examples) {
    checkOpen();
    int chunk = Math.max(1, config.batchSize() / config.gradientAccumulation());
    double total = 0;
    long labelled = 0;
    int from = 0;
    while (from < examples.size()) {
      // runs of up to one micro-batch of equally long examples
      int end = from + 1;
      while (end < examples.size()
          && end - from < chunk
          && examples.get(end).length() == examples.get(from).length()) end++;
      Encoded e = Encoded.of(examples.subList(from, end), spec, targets, "evaluate");
      labelled += e.labelled();
      try (Inputs in = new Inputs();
          Result result = feed(in, e, false, 0, 0).fetch(lossSum).run()) {
        total += ((TFloat32) result.get(0)).getFloat();
      }
      from = end;
    }
    if (labelled == 0) {
      throw new dev.text2code.api.InvalidInputException(
          "evaluate: the examples have no labelled position, so there is no loss");
    }
    return total / labelled;
  }

  @Override
  public float[][] logits(TrainingExample example) {
    checkOpen();
    Encoded e = Encoded.of(List.of(example), spec, targets, "logits");
    int rows = spec.embeddingRows();
    float[] flat = new float[e.length() * rows];
    try (Inputs in = new Inputs();
        Result result = feed(in, e, false, 0, 0).fetch(logits).run()) {
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(flat, false, false));
    }
    float[][] out = new float[e.length()][rows];
    for (int t = 0; t < out.length; t++) System.arraycopy(flat, t * rows, out[t], 0, rows);
    return out;
  }

  /** Gradients of the mean loss over the batch (one micro-batch, no dropout); for tests. */
  float[][] gradients(List<TrainingExample> batch) {
    checkOpen();
    Encoded e = Encoded.of(batch, spec, targets, "gradients");
    float[][] out = new float[values.length][];
    try (Inputs in = new Inputs()) {
      Session.Runner runner = feed(in, e, false, 0, 0);
      for (int i = 0; i < values.length; i++) runner.fetch(gradients.dy(i));
      Result result = runner.run();
      try (result) {
        for (int i = 0; i < values.length; i++) {
          out[i] = new float[values[i].length];
          ((TFloat32) result.get(i)).copyTo(DataBuffers.of(out[i], false, false));
          for (int j = 0; j < out[i].length; j++) out[i][j] /= e.labelled();
        }
      }
    }
    return out;
  }

  /** The current weights by canonical name (copies). */
  Map<String, Tensor> weights() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < layout.size(); i++) {
      ParameterLayout.Parameter p = layout.get(i);
      out.put(p.name(), new Tensor(p.name(), p.shape(), values[i].clone()));
    }
    return out;
  }

  private Session.Runner feed(Inputs in, Encoded e, boolean training, long step, int microBatch) {
    if (parameterTensors == null) {
      TFloat32[] tensors = new TFloat32[values.length];
      try {
        for (int i = 0; i < values.length; i++) {
          tensors[i] =
              TFloat32.tensorOf(
                  Shape.of(layout.get(i).shape()), DataBuffers.of(values[i], true, false));
        }
      } catch (RuntimeException ex) {
        for (TFloat32 t : tensors) if (t != null) t.close();
        throw ex;
      }
      parameterTensors = tensors;
    }
    Session.Runner runner = session.runner();
    for (int i = 0; i < values.length; i++)
      runner.feed(parameterInputs.get(i), parameterTensors[i]);
    Shape rows = Shape.of(e.rows(), e.length());
    runner.feed(ids, in.ints(rows, e.ids()));
    runner.feed(positions, in.ints(rows, e.positions()));
    runner.feed(segments, in.ints(rows, e.segments()));
    runner.feed(prefixEnds, in.ints(rows, e.prefixEnds()));
    long[] picks = e.labelIndices(spec.embeddingRows());
    runner.feed(labelIndices, in.longs(Shape.of(picks.length), picks));
    targetIsCode.ifPresent(p -> runner.feed(p, in.floats(rows, e.targetIsCode())));
    if (dropoutRate.isPresent()) {
      runner.feed(dropoutRate.get(), in.scalar(training ? (float) spec.dropout() : 0f));
      // masks depend only on (seed, step, micro-batch): a resumed run draws the same ones
      long mixed = new SplittableRandom(config.seed() ^ (step * 0x9E3779B97F4A7C15L)).nextLong();
      runner.feed(dropoutSeed.get(), in.longs(mixed, microBatch));
    }
    return runner;
  }

  @Override
  public void save(Path directory, TrainingOrigin origin) {
    checkOpen();
    Map<String, Tensor> optimizer = new LinkedHashMap<>();
    for (int i = 0; i < layout.size(); i++) {
      ParameterLayout.Parameter p = layout.get(i);
      String m = "adam.m." + p.name();
      String v = "adam.v." + p.name();
      optimizer.put(m, new Tensor(m, p.shape(), firstMoments[i].clone()));
      optimizer.put(v, new Tensor(v, p.shape(), secondMoments[i].clone()));
    }
    new Checkpoint(
            spec,
            router,
            weights(),
            optimizer,
            Optional.of(config),
            completedSteps,
            Map.of(),
            Provenance.ofTraining(
                TensorFlowBackend.NAME, Map.of("tensorflow", TensorFlow.version()), origin))
        .write(directory);
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("this TensorFlow training session is closed");
  }

  private void releaseParameterTensors() {
    if (parameterTensors != null) {
      for (TFloat32 t : parameterTensors) t.close();
      parameterTensors = null;
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    releaseParameterTensors();
    session.close();
    graph.close();
  }
}

package dev.text2code.api.training;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.StepResult;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.TrainingOrigin;
import dev.text2code.api.objective.TrainingExample;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains a model to {@code config.maxSteps()}: one batch per step from a {@link BatchSource},
 * held-out evaluation every {@code config.evalInterval()} steps, an atomic checkpoint every {@code
 * checkpointInterval} steps and at the end, and a CSV loss log. If the checkpoint directory already
 * holds a checkpoint, the run resumes from it and the log is cut back to that step, so a run killed
 * at any moment and started again ends with the same losses as one that was never interrupted.
 */
public final class TrainingLoop {
  /** Columns of the loss log. */
  public static final String LOG_HEADER =
      "step,train_loss,eval_loss,learning_rate,gradient_norm,tokens";

  /**
   * @param checkpointDirectory where checkpoints go (and whence a run resumes)
   * @param checkpointInterval steps between checkpoints (>= 1)
   * @param lossLog the CSV loss log
   */
  public record Options(
      Path checkpointDirectory, long checkpointInterval, Path lossLog, TrainingOrigin origin) {
    public Options {
      Objects.requireNonNull(checkpointDirectory, "checkpointDirectory");
      Objects.requireNonNull(lossLog, "lossLog");
      Objects.requireNonNull(origin, "origin");
      dev.text2code.api.ConfigurationException.require(
          checkpointInterval >= 1,
          "training.checkpoint-interval",
          checkpointInterval,
          "a positive integer");
    }

    /** Options for a run whose checkpoints record no origin. */
    public Options(Path checkpointDirectory, long checkpointInterval, Path lossLog) {
      this(checkpointDirectory, checkpointInterval, lossLog, TrainingOrigin.UNKNOWN);
    }
  }

  /** What a finished run reports. */
  public record Summary(
      long steps, double lastTrainLoss, double lastEvalLoss, boolean resumed, Path checkpoint) {}

  private final Backend backend;
  private final ModelSpec spec;
  private final TrainingConfig config;
  private final ModalityRouter router;
  private final BatchSource batches;
  private final List<TrainingExample> heldOut;
  private final Options options;
  private final TrainingListener listener;
  private Checkpoint init;

  public TrainingLoop(
      Backend backend,
      ModelSpec spec,
      TrainingConfig config,
      ModalityRouter router,
      BatchSource batches,
      List<TrainingExample> heldOut,
      Options options,
      TrainingListener listener) {
    this.backend = backend;
    this.spec = spec;
    this.config = config;
    this.router = router;
    this.batches = batches;
    this.heldOut = List.copyOf(heldOut);
    this.options = options;
    this.listener = listener;
  }

  /**
   * Makes a run that finds no checkpoint of its own start at step 0 from {@code init}'s weights
   * with a fresh optimizer (continued pre-training) instead of a freshly initialised model; a run
   * that has a checkpoint still resumes from it. {@code init}'s spec and router must be this
   * loop's.
   *
   * @return this loop
   */
  public TrainingLoop startingFrom(Checkpoint init) {
    java.util.Objects.requireNonNull(init, "init");
    if (!init.spec().equals(spec) || init.router().embeddingRows() != router.embeddingRows()) {
      throw new IllegalArgumentException(
          "the initial checkpoint's spec " + init.spec() + " is not the loop's " + spec);
    }
    this.init = init;
    return this;
  }

  public Summary run() {
    Path dir = options.checkpointDirectory();
    boolean resume = Files.isRegularFile(dir.resolve(Checkpoint.METADATA_FILE));
    try (TrainingSession session =
        resume
            ? backend.resumeTraining(dir, config)
            : init != null
                ? backend.openTraining(init, config)
                : backend.openTraining(spec, config, router)) {
      long start = session.completedSteps();
      rewriteLog(start, resume);
      listener.started(start, config.maxSteps(), resume);
      double lastTrain = Double.NaN;
      double lastEval = Double.NaN;
      long tokens = 0;
      long began = System.nanoTime();
      try (BufferedWriter log =
          Files.newBufferedWriter(
              options.lossLog(),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND)) {
        for (long step = start; step < config.maxSteps(); step++) {
          List<TrainingExample> batch = batches.batch(step);
          StepResult result = session.step(batch);
          lastTrain = result.loss();
          tokens += result.tokens();
          double seconds = Math.max(1e-9, (System.nanoTime() - began) / 1e9);
          listener.stepped(result, tokens / seconds, config.maxSteps());
          String eval = "";
          if (config.evalInterval() > 0
              && result.step() % config.evalInterval() == 0
              && !heldOut.isEmpty()) {
            lastEval = evaluate(session);
            listener.evaluated(result.step(), lastEval);
            eval = format(lastEval);
          }
          log.write(
              result.step()
                  + ","
                  + format(result.loss())
                  + ","
                  + eval
                  + ","
                  + format(result.learningRate())
                  + ","
                  + format(result.gradientNorm())
                  + ","
                  + result.tokens());
          log.newLine();
          log.flush();
          if (result.step() % options.checkpointInterval() == 0
              || result.step() == config.maxSteps()) {
            session.save(dir, options.origin());
            listener.checkpointed(result.step(), dir);
          }
        }
      }
      if (start == config.maxSteps() && !heldOut.isEmpty()) lastEval = evaluate(session);
      return new Summary(session.completedSteps(), lastTrain, lastEval, resume, dir);
    } catch (IOException e) {
      throw new Text2CodeException(
          "cannot write the loss log " + options.lossLog() + ": " + e.getMessage(), e);
    }
  }

  /** Mean held-out loss, weighted by labelled positions, in batches of the training batch size. */
  private double evaluate(TrainingSession session) {
    double total = 0;
    long count = 0;
    for (int i = 0; i < heldOut.size(); i += config.batchSize()) {
      List<TrainingExample> chunk =
          heldOut.subList(i, Math.min(heldOut.size(), i + config.batchSize()));
      long labelled = 0;
      for (TrainingExample e : chunk) labelled += e.labelledCount();
      if (labelled == 0) continue;
      total += session.evaluate(chunk) * labelled;
      count += labelled;
    }
    return count == 0 ? Double.NaN : total / count;
  }

  /** Keeps the header and the rows up to {@code completed}; atomic. */
  private void rewriteLog(long completed, boolean resume) throws IOException {
    Path log = options.lossLog();
    List<String> kept = new ArrayList<>();
    kept.add(LOG_HEADER);
    if (resume && Files.isRegularFile(log)) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.equals(LOG_HEADER)) continue;
        int comma = line.indexOf(',');
        try {
          if (comma > 0 && Long.parseLong(line.substring(0, comma)) <= completed) kept.add(line);
        } catch (NumberFormatException e) {
          // a torn last line from a kill: dropped, its step is recomputed
        }
      }
    }
    Path parent = log.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = parent.resolve(log.getFileName() + ".tmp");
    Files.write(temp, kept, StandardCharsets.UTF_8);
    Files.move(temp, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}

package dev.text2code.runs;

import dev.text2code.api.Settings;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.TrainingOrigin;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.training.TrainingLoop;
import dev.text2code.objectives.prepare.DataPreparer;
import dev.text2code.tokenizers.corpus.SkipReport;
import dev.text2code.tokenizers.routing.RouterFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One training run in a directory: corpus -> prepared rows -> backend training with checkpoints,
 * loss log and plot. Running it again on the same directory resumes where it stopped.
 */
public final class TrainingRun {
  private final RunComponents components;
  private final Settings config;
  private final RunLayout layout;
  private final RunListener listener;

  /**
   * @param config the run's configuration (saved into the run directory by {@link #prepare})
   * @param listener where progress goes (the lines sdk-cli prints, and the training callbacks)
   */
  public TrainingRun(
      RunComponents components, Settings config, RunLayout layout, RunListener listener) {
    this.components = components;
    this.config = config;
    this.layout = layout;
    this.listener = listener;
  }

  /** What the run produced. */
  public record Result(
      TrainingLoop.Summary summary, ModelSpec spec, long trainRows, long heldOutRows) {
    /**
     * The held-out loss the run ended with, or why there is none: {@code held-out loss 4.8272},
     * {@code no held-out evaluation ran (training.eval-interval = 0)}.
     */
    public String heldOut(Settings config) {
      if (!Double.isNaN(summary.lastEvalLoss())) {
        return String.format(Locale.ROOT, "held-out loss %.4f", summary.lastEvalLoss());
      }
      if (heldOutRows == 0) return "no held-out evaluation ran (no held-out rows)";
      long interval = config.integer("training.eval-interval", 50);
      return interval <= 0
          ? "no held-out evaluation ran (training.eval-interval = " + interval + ")"
          : "no held-out evaluation ran (training.eval-interval = "
              + interval
              + " is beyond the steps run)";
    }
  }

  /**
   * Prepares (or finishes preparing) the data, then trains on {@code backend} or resumes its
   * checkpoint.
   *
   * @param pairs the corpus (already read)
   */
  public Result run(List<TextCodePair> pairs, Backend backend) {
    Prepared prepared = prepare(pairs);
    try {
      ModelSpec spec =
          RunTraining.modelSpec(config, prepared.tokenizers().router().embeddingRows());
      TrainingConfig training = RunTraining.trainingConfig(config);
      listener.report(
          String.format(
              "model: %d layers, %d heads, width %d, context %d, %d embedding rows (%s separation),"
                  + " %,d parameters; backend %s, objective %s",
              spec.layers(),
              spec.heads(),
              spec.width(),
              spec.contextLength(),
              spec.embeddingRows(),
              spec.separation().configName(),
              spec.parameterCount(),
              backend.name(),
              prepared.objective().name()));
      TrainingLoop loop =
          new TrainingLoop(
              backend,
              spec,
              training,
              prepared.tokenizers().router(),
              new ShuffledBatches(prepared.data().train(), training.batchSize(), training.seed()),
              prepared.data().heldOut(),
              new TrainingLoop.Options(
                  layout.checkpoint(),
                  config.integer("training.checkpoint-interval", 50),
                  layout.lossLog(),
                  origin(prepared)),
              listener);
      TrainingLoop.Summary summary = loop.run();
      LossPlot.write(
          layout.lossLog(),
          layout.lossPlot(),
          "text2code: " + prepared.objective().name() + " on " + backend.name());
      return new Result(
          summary, spec, prepared.data().train().size(), prepared.data().heldOut().size());
    } catch (IOException e) {
      throw new Text2CodeException("run directory " + layout.root() + ": " + e.getMessage(), e);
    }
  }

  /** What the checkpoints record about the run: objective, tokenizer, prepared data. */
  private TrainingOrigin origin(Prepared prepared) {
    Path manifest = layout.preparedTrain().resolve(DataPreparer.MANIFEST);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String hash = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(manifest)));
      return new TrainingOrigin(
          prepared.objective().name(),
          prepared.data().trainManifest().tokenizerHash(),
          "sha256:" + hash,
          Optional.empty());
    } catch (IOException e) {
      throw new Text2CodeException("cannot read " + manifest + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The prepared data of a run and what made it. */
  public record Prepared(RunTokenizers tokenizers, Objective objective, RunData.Prepared data) {}

  /**
   * Writes the run's configuration and router and prepares (or finishes preparing) its training and
   * held-out shards.
   */
  public Prepared prepare(List<TextCodePair> pairs) {
    // Counts the pairs the layout and objective reject; reading skips were reported by the corpus
    // reader.
    SkipReport skips = new SkipReport();
    pairs.forEach(p -> skips.accept());
    try {
      Files.createDirectories(layout.root());
    } catch (IOException e) {
      throw new Text2CodeException("run directory " + layout.root() + ": " + e.getMessage(), e);
    }
    components.settingsStore().save(config, layout.config());
    RunTokenizers tokenizers = RunTokenizers.build(components, config);
    RouterFiles.save(tokenizers.router(), layout.routerFile());
    Objective objective =
        components
            .objectives()
            .select(config.string("objective"))
            .create(tokenizers.tokenizer(), config);
    RunData.Prepared data = RunData.prepare(layout, tokenizers, objective, pairs, config, skips);
    listener.report(
        String.format(
            "data: %d pairs read (%d skipped), %d training rows, %d held-out rows of %d tokens (%s)",
            skips.accepted(),
            skips.skipped(),
            data.train().size(),
            data.heldOut().size(),
            config.integer("model.context", 256),
            layout.root().resolve("prepared")));
    return new Prepared(tokenizers, objective, data);
  }
}

package dev.text2code.cli.run;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.text2code.api.Settings;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.training.TrainingListener;
import dev.text2code.api.training.TrainingLoop;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.wiring.Components;
import dev.text2code.tokenizers.corpus.SkipReport;
import dev.text2code.tokenizers.routing.RouterFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * One training run in a directory: corpus -> prepared rows -> backend training with checkpoints,
 * loss log and plot. Running it again on the same directory resumes where it stopped.
 */
public final class TrainingRun {
  private final Components components;
  private final SdkConfig config;
  private final RunLayout layout;
  private final PrintWriter out;

  public TrainingRun(Components components, SdkConfig config, RunLayout layout, PrintWriter out) {
    this.components = components;
    this.config = config;
    this.layout = layout;
    this.out = out;
  }

  /** What the run produced. */
  public record Result(
      TrainingLoop.Summary summary, ModelSpec spec, long trainRows, long heldOutRows) {}

  /**
   * @param pairs the corpus (already read)
   * @param listener progress callbacks
   */
  public Result run(List<TextCodePair> pairs, TrainingListener listener) {
    Prepared prepared = prepare(pairs);
    try {
      ModelSpec spec =
          RunTraining.modelSpec(config, prepared.tokenizers().router().embeddingRows());
      TrainingConfig training = RunTraining.trainingConfig(config);
      Backend backend = components.backends().select(config.backend());
      out.printf(
          "model: %d layers, %d heads, width %d, context %d, %d embedding rows (%s separation), %,d parameters;"
              + " backend %s, objective %s%n",
          spec.layers(),
          spec.heads(),
          spec.width(),
          spec.contextLength(),
          spec.embeddingRows(),
          spec.separation().configName(),
          spec.parameterCount(),
          backend.name(),
          prepared.objective().name());
      out.flush();
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
                  layout.lossLog()),
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
      writeConfig();
    } catch (IOException e) {
      throw new Text2CodeException("run directory " + layout.root() + ": " + e.getMessage(), e);
    }
    RunTokenizers tokenizers = RunTokenizers.build(components, config);
    RouterFiles.save(tokenizers.router(), layout.routerFile());
    Objective objective =
        components.objectives().select(config.objective()).create(tokenizers.tokenizer(), config);
    RunData.Prepared data = RunData.prepare(layout, tokenizers, objective, pairs, config, skips);
    out.printf(
        "data: %d pairs read (%d skipped), %d training rows, %d held-out rows of %d tokens (%s)%n",
        skips.accepted(),
        skips.skipped(),
        data.train().size(),
        data.heldOut().size(),
        config.integer("model.context", 256),
        layout.root().resolve("prepared"));
    out.flush();
    return new Prepared(tokenizers, objective, data);
  }

  /**
   * Saves the merged configuration (file paths made absolute) so later commands rebuild the same
   * tokenizer.
   */
  private void writeConfig() throws IOException {
    com.typesafe.config.Config raw = config.raw();
    String file = raw.getString("tokenizers.file");
    if (!file.isBlank()) {
      raw =
          raw.withValue(
              "tokenizers.file",
              ConfigValueFactory.fromAnyRef(Path.of(file).toAbsolutePath().toString()));
    }
    String text =
        "# written by sdk-cli: the configuration this run was started with\n"
            + raw.root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    Path temp = layout.config().resolveSibling("run.conf.tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(
        temp, layout.config(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The settings of an existing run directory. */
  public static Settings settingsOf(RunLayout layout) {
    return new dev.text2code.cli.config.ConfigLoader()
        .load(layout.config(), java.util.Map.of(), java.util.Map.of());
  }
}

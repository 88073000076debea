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
    String init = config.string(InitSource.KEY, "").trim();
    if (init.isEmpty()) return train(pairs, backend, Optional.empty());
    InitSource source = InitSource.read(Path.of(init), components);
    refuseForeignCheckpoint(source);
    Settings effective = withSourceTokenizer(source);
    return new TrainingRun(components, effective, layout, listener)
        .train(pairs, backend, Optional.of(source));
  }

  /**
   * A run directory that already has a checkpoint resumes it; {@code training.init} there is an
   * error unless that checkpoint's training started from the same source (the same command run
   * again after an interruption).
   */
  private void refuseForeignCheckpoint(InitSource source) {
    Path meta = layout.checkpoint().resolve(dev.text2code.api.checkpoint.Checkpoint.METADATA_FILE);
    if (!Files.isRegularFile(meta)) return;
    dev.text2code.api.checkpoint.Checkpoint existing =
        dev.text2code.api.checkpoint.Checkpoint.read(layout.checkpoint());
    if (existing.provenance().parentCheckpoint().equals(Optional.of(source.path().toString()))) {
      return;
    }
    throw new dev.text2code.api.ConfigurationException(
        InitSource.KEY
            + " = "
            + source.path()
            + ": run directory "
            + layout.root()
            + " already has a checkpoint (step "
            + existing.completedSteps()
            + ", started from "
            + existing.provenance().parentCheckpoint().orElse("a fresh model")
            + "); it resumes from it without "
            + InitSource.KEY
            + " (--init), or start the continued pre-training in a new run directory");
  }

  /**
   * The run's configuration with the source's tokenizer (its {@code tokenizer.json}, copied into
   * the run directory, or the tokenizer keys of the source run) and the source's context length.
   */
  private Settings withSourceTokenizer(InitSource source) {
    Settings s = config;
    try {
      if (source.tokenizerFile().isPresent()) {
        Files.createDirectories(layout.root());
        Path copy = layout.tokenizerFile().toAbsolutePath();
        if (!Files.isRegularFile(copy)
            || Files.mismatch(copy, source.tokenizerFile().get()) != -1) {
          Path temp = copy.resolveSibling(copy.getFileName() + ".partial");
          Files.copy(
              source.tokenizerFile().get(),
              temp,
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.move(
              temp,
              copy,
              java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        s = s.with("tokenizer", "huggingface").with("tokenizers.file", copy.toString());
      } else if (source.tokenizerSettings().isPresent()) {
        Settings from = source.tokenizerSettings().get();
        for (String key :
            List.of(
                "tokenizer",
                "tokenizers.file",
                "tokenizers.encoding",
                "tokenizers.special-tokens")) {
          Optional<String> v = from.find(key);
          if (v.isPresent()) s = s.with(key, v.get());
        }
      }
    } catch (IOException e) {
      throw new Text2CodeException(
          "cannot copy the tokenizer of " + source.path() + ": " + e.getMessage(), e);
    }
    return s.with("model.context", Integer.toString(source.checkpoint().spec().contextLength()));
  }

  private Result train(List<TextCodePair> pairs, Backend backend, Optional<InitSource> init) {
    Prepared prepared = prepare(pairs);
    try {
      Optional<dev.text2code.api.checkpoint.Checkpoint> grown =
          init.map(
              source ->
                  SeparationGrowth.grow(
                      source.checkpoint(),
                      prepared.tokenizers().router(),
                      config.integer("seed", 1234)));
      ModelSpec spec =
          grown.isPresent()
              ? grown.get().spec()
              : RunTraining.modelSpec(config, prepared.tokenizers().router().embeddingRows());
      TrainingConfig training = RunTraining.trainingConfig(config);
      init.ifPresent(
          source ->
              listener.report(
                  "init: step 0 from "
                      + source.path()
                      + source.importedFrom().map(f -> " (imported from " + f + ")").orElse("")
                      + " with a fresh optimizer; its shape and context replace the model.* keys"));
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
                  origin(prepared, init)),
              listener);
      grown.ifPresent(loop::startingFrom);
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
  private TrainingOrigin origin(Prepared prepared, Optional<InitSource> init) {
    Path manifest = layout.preparedTrain().resolve(DataPreparer.MANIFEST);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String hash = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(manifest)));
      return new TrainingOrigin(
          prepared.objective().name(),
          prepared.data().trainManifest().tokenizerHash(),
          "sha256:" + hash,
          init.map(source -> source.path().toString()),
          init.flatMap(InitSource::importedFrom));
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
    SetUp setUp = setUp();
    RunData.Prepared data =
        RunData.prepare(layout, setUp.tokenizers(), setUp.objective(), pairs, config, skips);
    reportData(skips.accepted(), skips.skipped(), data);
    return new Prepared(setUp.tokenizers(), setUp.objective(), data);
  }

  /**
   * {@link #prepare(List)} streaming from a pair file ({@link CorpusLoader#streamForRun}): the
   * corpus is read twice, never held; the shards are the same bytes.
   */
  public Prepared prepareStreaming(java.nio.file.Path pairFile) {
    SkipReport skips = new SkipReport();
    SetUp setUp = setUp();
    String python = config.string("data.python", "python3");
    RunData.Prepared data =
        RunData.prepare(
            layout,
            setUp.tokenizers(),
            setUp.objective(),
            () ->
                dev.text2code.data.pipeline.PairSource.stream(pairFile, python, new SkipReport())
                    .peek(p -> skips.accept()),
            config,
            skips);
    // Both passes counted every pair.
    reportData(skips.accepted() / 2, skips.skipped(), data);
    return new Prepared(setUp.tokenizers(), setUp.objective(), data);
  }

  /**
   * {@link #prepare(List)} by another engine ({@code data.engine}), which reads {@code corpus}
   * itself; the shards are the same bytes.
   */
  public Prepared prepare(PreparationEngine engine, java.nio.file.Path corpus) {
    SetUp setUp = setUp();
    RunData.Prepared data =
        engine.prepare(
            new PreparationEngine.Request(
                layout, config, setUp.tokenizers(), setUp.objective(), corpus, listener));
    listener.report(
        String.format(
            "data (%s engine): %d training rows, %d held-out rows of %d tokens (%s)",
            engine.name(),
            data.train().size(),
            data.heldOut().size(),
            config.integer("model.context", 256),
            layout.root().resolve("prepared")));
    return new Prepared(setUp.tokenizers(), setUp.objective(), data);
  }

  /** Writes the configuration and router; the tokenizers and objective (data not yet prepared). */
  private record SetUp(RunTokenizers tokenizers, Objective objective) {}

  private SetUp setUp() {
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
    return new SetUp(tokenizers, objective);
  }

  private void reportData(long accepted, long skipped, RunData.Prepared data) {
    listener.report(
        String.format(
            "data: %d pairs read (%d skipped), %d training rows, %d held-out rows of %d tokens (%s)",
            accepted,
            skipped,
            data.train().size(),
            data.heldOut().size(),
            config.integer("model.context", 256),
            layout.root().resolve("prepared")));
  }
}

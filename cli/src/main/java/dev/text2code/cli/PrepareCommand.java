package dev.text2code.cli;

import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.PreparationEngine;
import dev.text2code.runs.RunLayout;
import dev.text2code.runs.RunListener;
import dev.text2code.runs.TrainingRun;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prepares a corpus for an objective: packed .npy shards and a manifest, resumable and
 * deterministic.
 */
@Command(
    name = "prepare",
    description =
        "Turn a corpus into packed training shards (.npy + manifest.json) for the configured tokenizer,"
            + " separation and objective; `train` on the same run directory reuses them.")
final class PrepareCommand extends SdkCommand {
  @Mixin RunDirectoryOption runDirectory;

  @Mixin CorpusOption corpus;

  @Option(
      names = "--engine",
      paramLabel = "NAME",
      description =
          "Preparation engine: jvm (this JVM) | spark (Apache Spark, the data-spark module);"
              + " overrides data.engine.")
  String engine;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    PrintWriter out = out();
    RunListener listener = listener(10);
    if (engine != null) config = config.with("data.engine", engine);
    String chosen = config.string("data.engine", "jvm");
    TrainingRun run = new TrainingRun(root.runComponents(), config, layout, listener);
    TrainingRun.Prepared prepared =
        chosen.equals("jvm")
            ? run.prepareStreaming(corpus.stream(config, layout, listener))
            : run.prepare(
                PreparationEngine.find(chosen), corpus.forEngine(config, layout, listener));
    var manifest = prepared.data().trainManifest();
    out.printf(
        "training shards: %d rows from %d examples (%d dropped as too long, %d truncated, %d skipped)%n",
        manifest.rows(),
        manifest.examplesPacked(),
        manifest.examplesDropped(),
        manifest.examplesTruncated(),
        manifest.examplesSkipped());
    out.flush();
    return 0;
  }
}

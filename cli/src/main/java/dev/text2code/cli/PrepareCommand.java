package dev.text2code.cli;

import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.PreparationEngine;
import dev.text2code.runs.RunLayout;
import dev.text2code.runs.RunListener;
import dev.text2code.runs.TrainingRun;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Prepares a corpus for an objective: packed .npy shards and a manifest, resumable and
 * deterministic.
 */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description =
        "Turn a corpus into packed training shards (.npy + manifest.json) for the configured tokenizer,"
            + " separation and objective; `train` on the same run directory reuses them.")
final class PrepareCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

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
    PrintWriter out = spec.commandLine().getOut();
    RunListener listener = SdkCli.listener(spec, 10);
    if (engine != null) config = config.with("data.engine", engine);
    String chosen = config.string("data.engine", "jvm");
    TrainingRun.Prepared prepared;
    if (chosen.equals("jvm")) {
      prepared =
          new TrainingRun(root.runComponents(), config, layout, listener)
              .prepareStreaming(corpus.stream(config, layout, listener));
    } else {
      PreparationEngine other = PreparationEngine.find(chosen);
      prepared =
          new TrainingRun(root.runComponents(), config, layout, listener)
              .prepare(other, corpus.forEngine(config, layout, listener));
    }
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

package dev.text2code.cli;

import dev.text2code.api.TextCodePair;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.RunLayout;
import dev.text2code.runs.RunListener;
import dev.text2code.runs.TrainingRun;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    PrintWriter out = out();
    RunListener listener = listener(10);
    List<TextCodePair> pairs = corpus.read(config, layout, listener);
    TrainingRun.Prepared prepared =
        new TrainingRun(root.runComponents(), config, layout, listener).prepare(pairs);
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

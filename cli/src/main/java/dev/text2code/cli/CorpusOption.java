package dev.text2code.cli;

import dev.text2code.api.Settings;
import dev.text2code.api.TextCodePair;
import dev.text2code.runs.CorpusLoader;
import dev.text2code.runs.RunLayout;
import dev.text2code.runs.RunListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --corpus PATH} option of the commands that read a corpus (picocli mixin). */
final class CorpusOption {
  @Option(
      names = "--corpus",
      paramLabel = "PATH",
      description = "Corpus file or directory (overrides data.corpus).")
  Path corpus;

  /** The run's corpus ({@link CorpusLoader#forRun}), {@code --corpus} first. */
  List<TextCodePair> read(Settings config, RunLayout layout, RunListener listener) {
    return CorpusLoader.forRun(config, Optional.ofNullable(corpus), layout, listener);
  }

  /** The run's corpus streamed into its corpus.jsonl ({@link CorpusLoader#streamForRun}). */
  Path stream(Settings config, RunLayout layout, RunListener listener) {
    return CorpusLoader.streamForRun(config, Optional.ofNullable(corpus), layout, listener);
  }

  /**
   * What another preparation engine reads ({@link CorpusLoader#forEngine}), {@code --corpus} first.
   */
  Path forEngine(Settings config, RunLayout layout, RunListener listener) {
    return CorpusLoader.forEngine(config, Optional.ofNullable(corpus), layout, listener);
  }
}

package dev.text2code.cli;

import dev.text2code.api.Settings;
import dev.text2code.runs.RunLayout;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --run DIR} option the run-directory commands share (picocli mixin). */
final class RunDirectoryOption {
  @Option(
      names = "--run",
      paramLabel = "DIR",
      description = "Run directory (overrides run.directory).")
  Path run;

  /** The run's layout: {@code --run} if given, else {@code run.directory}. */
  RunLayout layout(Settings config) {
    return new RunLayout(run != null ? run : Path.of(config.string("run.directory")));
  }
}

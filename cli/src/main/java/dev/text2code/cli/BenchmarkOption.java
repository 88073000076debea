package dev.text2code.cli;

import dev.text2code.api.Settings;
import picocli.CommandLine.Option;

/** The {@code --benchmark NAME|FILE} option of the commands that work on a benchmark (mixin). */
final class BenchmarkOption {
  @Option(
      names = "--benchmark",
      paramLabel = "NAME|FILE",
      description = "Overrides evaluation.benchmark.")
  String benchmark;

  /** The benchmark: {@code --benchmark} if given, else {@code evaluation.benchmark}. */
  String name(Settings config) {
    return benchmark != null ? benchmark : config.string("evaluation.benchmark");
  }
}

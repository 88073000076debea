package dev.text2code.cli;

import dev.text2code.api.UnsupportedCapabilityException;
import dev.text2code.api.backend.Device;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.RunLayout;
import dev.text2code.runs.RunLogits;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints a checkpoint's logits at chosen positions of full sequences as JSON. */
@Command(
    name = "logits",
    description =
        "Print the logits of a run's checkpoint at positions of full sequences as JSON"
            + " {\"input_ids\", \"logit_positions\", \"logits\"} (a parity and debugging tool).")
final class LogitsCommand extends SdkCommand {
  @Mixin RunDirectoryOption runDirectory;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description = "A checkpoint directory instead of the run's.")
  Path checkpoint;

  @Option(
      names = "--ids",
      required = true,
      paramLabel = "IDS",
      description = "Sequences of embedding-row ids, all of one length: \"1,2,3;4,5,6\".")
  String ids;

  @Option(
      names = "--positions",
      required = true,
      paramLabel = "P",
      description = "Positions to print the logits of: \"0,2\".")
  String positions;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      description =
          "Backend that computes them (default: the configured one), or 'reference' for the"
              + " plain-Java reference forward (any architecture, no native library).")
  String backend;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLogits.Request request = RunLogits.Request.parse(ids, positions);
    Path dir = checkpoint != null ? checkpoint : runDirectory.layout(config).checkpoint();
    if (checkpoint == null) requireRun(runDirectory.layout(config));
    RunLogits.Result result;
    if (RunLogits.REFERENCE.equals(backend)) {
      result = RunLogits.reference(dir, request);
    } else {
      try {
        result =
            RunLogits.compute(
                dir,
                root.components().backends().select(backend != null ? backend : config.backend()),
                Device.parse(config.string("device")),
                request);
      } catch (UnsupportedCapabilityException e) {
        throw new UnsupportedCapabilityException(
            e.getMessage() + " (sdk-cli logits --backend reference runs it)");
      }
    }
    return print(List.of(result.toJson()));
  }

  private static void requireRun(RunLayout layout) {
    if (!java.nio.file.Files.isDirectory(layout.checkpoint())) {
      throw new dev.text2code.api.ConfigurationException(
          layout.root()
              + " has no checkpoint ("
              + layout.checkpoint()
              + "); give --run a trained or imported run, or --checkpoint DIR");
    }
  }
}

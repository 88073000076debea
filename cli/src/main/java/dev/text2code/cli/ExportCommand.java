package dev.text2code.cli;

import dev.text2code.api.ComponentSelector;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Exports a checkpoint to another format. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a checkpoint (e.g. to ONNX, with KV-cache inputs and outputs).")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand SdkCli root;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "FORMAT",
      description = "Target format: onnx.")
  String format;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "Checkpoint directory.")
  Path checkpoint;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Output file (default: DIR/model.onnx).")
  Path output;

  @Override
  public Integer call() {
    if (!format.equals("onnx")) {
      throw new ConfigurationException(
          "export --to " + format + " is not supported; valid formats: onnx");
    }
    Path target = output != null ? output : checkpoint.resolve("model.onnx");
    ComponentSelector<Backend> backends = root.components().backends();
    Backend exporter =
        backends.names().stream()
            .map(backends::select)
            .filter(b -> b.capabilities().contains(Capability.EXPORT_ONNX))
            .findFirst()
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "export --to onnx needs a backend that can export to ONNX on the class"
                            + " path; the backends found are "
                            + backends.names()));
    exporter.exportOnnx(checkpoint, target);
    spec.commandLine().getOut().println("wrote " + target);
    spec.commandLine().getOut().flush();
    return 0;
  }
}

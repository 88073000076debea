package dev.text2code.cli;

import dev.text2code.api.ComponentSelector;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import dev.text2code.runs.ModelExport;
import dev.text2code.runs.RunLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Exports a checkpoint to another format. */
@Command(
    name = "export",
    description =
        "Export a checkpoint to ONNX (with KV-cache inputs and outputs) or to a Hugging Face"
            + " directory (config.json, model.safetensors, tokenizer.json).")
final class ExportCommand extends SdkCommand {
  @Option(
      names = "--to",
      required = true,
      paramLabel = "FORMAT",
      description = "Target format: onnx | huggingface.")
  String format;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint directory.")
  Path checkpoint;

  @Option(
      names = "--run",
      paramLabel = "DIR",
      description = "A run directory: its checkpoint, and for huggingface its tokenizer.json.")
  Path run;

  @Option(
      names = "--output",
      paramLabel = "PATH",
      description =
          "Output file for onnx (default: DIR/model.onnx), directory for huggingface (default:"
              + " DIR-huggingface beside the checkpoint).")
  Path output;

  @Override
  public Integer call() {
    if ((checkpoint == null) == (run == null)) {
      throw new ConfigurationException("export needs exactly one of --checkpoint DIR or --run DIR");
    }
    if (format.equals("huggingface")) {
      Path written =
          run != null
              ? ModelExport.run(
                  root.runComponents(), new RunLayout(run), Optional.ofNullable(output))
              : ModelExport.checkpoint(checkpoint, Optional.ofNullable(output));
      return print(List.of("wrote " + written));
    }
    if (!format.equals("onnx")) {
      throw new ConfigurationException(
          "export --to " + format + " is not supported; valid formats: onnx, huggingface");
    }
    if (checkpoint == null) checkpoint = new RunLayout(run).checkpoint();
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
    return print(List.of("wrote " + target));
  }
}

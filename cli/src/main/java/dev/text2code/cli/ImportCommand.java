package dev.text2code.cli;

import dev.text2code.runs.ModelImport;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Imports a Hugging Face model directory as a new run directory. */
@Command(
    name = "import",
    description =
        "Import a Hugging Face model directory (config.json, safetensors or pytorch_model.bin,"
            + " tokenizer.json) as a run whose checkpoint is that model.")
final class ImportCommand extends SdkCommand {
  @Mixin RunDirectoryOption runDirectory;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DIR",
      description = "The Hugging Face model directory.")
  Path from;

  @Override
  public Integer call() {
    var config = root.config();
    ModelImport.ImportedRun imported =
        ModelImport.importModel(root.runComponents(), config, from, runDirectory.layout(config));
    PrintWriter out = out();
    for (String line : imported.info().describe()) out.println(line);
    out.println("checkpoint: " + imported.layout().checkpoint());
    out.println(
        "run tokenizer: "
            + imported
                .tokenizer()
                .map(Path::toString)
                .orElse(
                    "none in the model directory; the run keeps tokenizer = "
                        + config.tokenizer()));
    out.println("run: " + imported.layout().root());
    out.flush();
    return 0;
  }
}

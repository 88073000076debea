package dev.text2code.cli;

import dev.text2code.runs.ModelImport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Imports a Hugging Face model directory as a new run directory. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import a Hugging Face model directory (config.json, safetensors or pytorch_model.bin,"
            + " tokenizer.json) as a run whose checkpoint is that model.")
final class ImportCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

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
    PrintWriter out = spec.commandLine().getOut();
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

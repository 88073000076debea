package dev.text2code.runs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.models.hf.HuggingFaceExport;
import dev.text2code.models.hf.HuggingFaceImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a checkpoint as a Hugging Face directory ({@code sdk-cli export --to huggingface}) through
 * {@link HuggingFaceExport}, with the tokenizer.json that belongs to it.
 */
public final class ModelExport {
  private ModelExport() {}

  /**
   * The default output directory of a checkpoint's export: {@code CHECKPOINT-huggingface} beside it
   * (outside it, so that a checkpoint rewritten by training does not take the export with it).
   */
  public static Path defaultOutput(Path checkpoint) {
    Path dir = checkpoint.toAbsolutePath().normalize();
    return dir.resolveSibling(dir.getFileName() + "-huggingface");
  }

  /**
   * Exports a checkpoint directory; its tokenizer is the {@code tokenizer.json} beside the weights
   * (an imported checkpoint keeps its model's there), if any.
   */
  public static Path checkpoint(Path checkpoint, Optional<Path> output) {
    Path tokenizer = checkpoint.resolve(HuggingFaceImport.TOKENIZER_FILE);
    return write(
        checkpoint,
        Files.isRegularFile(tokenizer) ? Optional.of(tokenizer) : Optional.empty(),
        output);
  }

  /**
   * Exports a run's checkpoint with the run's tokenizer.json: the file its configuration names
   * (tokenizer huggingface or bpe), else the run's own {@link RunLayout#tokenizerFile()}, else the
   * checkpoint's.
   */
  public static Path run(RunComponents components, RunLayout layout, Optional<Path> output) {
    if (!Files.isDirectory(layout.checkpoint())) {
      throw new ConfigurationException(
          layout.root()
              + " has no checkpoint ("
              + layout.checkpoint()
              + "); train or import first");
    }
    Settings settings = components.settingsOf(layout);
    Optional<Path> tokenizer = Optional.empty();
    String file = settings.string("tokenizers.file", "");
    String kind = settings.string("tokenizer", "");
    if (!file.isBlank() && (kind.equals("huggingface") || kind.equals("bpe"))) {
      tokenizer = Optional.of(Path.of(file));
    } else if (Files.isRegularFile(layout.tokenizerFile())) {
      tokenizer = Optional.of(layout.tokenizerFile());
    } else if (Files.isRegularFile(layout.checkpoint().resolve(HuggingFaceImport.TOKENIZER_FILE))) {
      tokenizer = Optional.of(layout.checkpoint().resolve(HuggingFaceImport.TOKENIZER_FILE));
    }
    return write(layout.checkpoint(), tokenizer, output);
  }

  private static Path write(Path checkpoint, Optional<Path> tokenizer, Optional<Path> output) {
    Path target = output.orElseGet(() -> defaultOutput(checkpoint));
    if (tokenizer.isPresent() && !Files.isRegularFile(tokenizer.get())) {
      throw new ConfigurationException(
          "the checkpoint's tokenizer " + tokenizer.get() + " does not exist");
    }
    Checkpoint model = ModelImport.invalidInput(() -> Checkpoint.read(checkpoint));
    HuggingFaceExport.write(model, Optional.empty(), tokenizer, target);
    return target;
  }
}

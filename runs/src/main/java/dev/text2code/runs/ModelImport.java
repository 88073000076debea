package dev.text2code.runs;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Settings;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.models.hf.HuggingFaceImport;
import dev.text2code.models.hf.ImportedModel;
import dev.text2code.models.hf.ModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Turns a Hugging Face model directory into a run directory ({@code sdk-cli import}): the imported
 * checkpoint in {@link RunLayout#checkpoint()}, the model's {@code tokenizer.json} as the run's
 * tokenizer, and a {@code run.conf} (the configuration in force, with the model's shape, {@code
 * separation = none} and that tokenizer) so that {@code generate}, {@code complete}, {@code
 * evaluate}, {@code export} and {@code logits} work on the run with no further flags.
 */
public final class ModelImport {
  private ModelImport() {}

  /**
   * What an import wrote.
   *
   * @param layout the run directory
   * @param info what the model directory held
   * @param tokenizer the run's tokenizer.json, when the model had one
   */
  public record ImportedRun(RunLayout layout, ModelInfo info, Optional<Path> tokenizer) {}

  /**
   * Describes a model directory without reading its weights: a Hugging Face directory ({@code
   * config.json}) or an SDK checkpoint ({@code checkpoint.json}).
   */
  public static java.util.List<String> describe(Path directory) {
    if (Files.isRegularFile(
        directory.resolve(dev.text2code.api.checkpoint.Checkpoint.METADATA_FILE))) {
      ModelSpec spec =
          invalidInput(() -> dev.text2code.api.checkpoint.Checkpoint.readSpec(directory));
      return java.util.List.of(
          "model: " + directory,
          "family: text2code checkpoint",
          dev.text2code.models.hf.ModelInfo.shapeLine(spec),
          "parameters: " + spec.parameterCount(),
          "dtype: F32",
          "separation: " + spec.separation().configName(),
          "architecture: "
              + dev.text2code.api.internal.Json.write(
                  dev.text2code.api.checkpoint.ArchitectureJson.write(spec.architecture())));
    }
    return invalidInput(() -> HuggingFaceImport.info(directory)).describe();
  }

  /**
   * Imports {@code model} into the run directory {@code layout}, which must not hold a run yet
   * (nothing already there is overwritten). The checkpoint appears complete or not at all.
   *
   * @param components saves the run's configuration
   * @param config the configuration in force; the run keeps it with the model's facts on top
   */
  public static ImportedRun importModel(
      RunComponents components, Settings config, Path model, RunLayout layout) {
    if (Files.exists(layout.config()) || Files.exists(layout.checkpoint())) {
      throw new InvalidInputException(
          layout.root()
              + " already holds a run ("
              + (Files.exists(layout.config()) ? layout.config() : layout.checkpoint())
              + "); import into a new run directory");
    }
    try {
      Files.createDirectories(layout.root());
    } catch (IOException e) {
      throw new CheckpointException("cannot create " + layout.root() + ": " + e.getMessage(), e);
    }
    ImportedModel imported =
        invalidInput(() -> HuggingFaceImport.importTo(model, layout.checkpoint()));
    ModelSpec spec = imported.checkpoint().spec();
    Settings settings =
        config
            .with("separation", "none")
            .with("model.layers", Integer.toString(spec.layers()))
            .with("model.heads", Integer.toString(spec.heads()))
            .with("model.width", Integer.toString(spec.width()))
            .with("model.context", Integer.toString(spec.contextLength()));
    Optional<Path> tokenizer = Optional.empty();
    if (imported.tokenizerFile().isPresent()) {
      Path target = layout.tokenizerFile().toAbsolutePath();
      Path staging = target.resolveSibling(target.getFileName() + ".tmp");
      try {
        Files.copy(imported.tokenizerFile().get(), staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new CheckpointException("cannot write " + target + ": " + e.getMessage(), e);
      }
      settings =
          settings
              .with("tokenizer", "huggingface")
              .with("tokenizers.file", target.toString())
              .with("tokenizers.special-tokens", "");
      tokenizer = Optional.of(target);
    }
    components.settingsStore().save(settings, layout.config());
    return new ImportedRun(layout, imported.info(), tokenizer);
  }

  /**
   * Runs {@code read}, reporting a model directory that cannot be read (unsupported family, missing
   * shard, wrong shape, truncated file, unknown dtype) as invalid input.
   */
  static <T> T invalidInput(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (CheckpointException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }
}

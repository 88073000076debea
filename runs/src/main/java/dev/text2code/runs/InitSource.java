package dev.text2code.runs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.models.hf.HuggingFaceImport;
import dev.text2code.models.hf.ImportedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The weights continued pre-training starts from (configuration key {@code training.init}): a
 * checkpoint directory (an imported model written by {@code sdk-cli import} is one), a run
 * directory (its {@code checkpoint/}) or a Hugging Face model directory ({@code config.json} and
 * weights).
 *
 * @param path the source as given, absolute and normalised
 * @param checkpoint its weights, spec and router
 * @param tokenizerFile the source's own {@code tokenizer.json}, when it has one
 * @param tokenizerSettings for a run directory without a tokenizer file, that run's configuration
 *     (its tokenizer keys are the ones to use)
 */
public record InitSource(
    Path path,
    Checkpoint checkpoint,
    Optional<Path> tokenizerFile,
    Optional<Settings> tokenizerSettings) {
  /** The configuration key. */
  public static final String KEY = "training.init";

  /** Where the source's weights were converted from, if they were imported. */
  public Optional<String> importedFrom() {
    return checkpoint.provenance().importedFrom();
  }

  /** Reads {@code source}; fails naming the key and what would be valid. */
  public static InitSource read(Path source, RunComponents components) {
    Path path = source.toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) {
      throw new ConfigurationException(
          KEY
              + " = "
              + source
              + ": no such directory; expected a checkpoint directory, a run directory or a"
              + " Hugging Face model directory");
    }
    if (Files.isRegularFile(path.resolve(Checkpoint.METADATA_FILE))) {
      return new InitSource(
          path, Checkpoint.read(path), file(path.resolve("tokenizer.json")), Optional.empty());
    }
    RunLayout run = new RunLayout(path);
    if (Files.isRegularFile(run.checkpoint().resolve(Checkpoint.METADATA_FILE))) {
      Optional<Path> tokenizer =
          file(run.tokenizerFile()).or(() -> file(run.checkpoint().resolve("tokenizer.json")));
      Optional<Settings> settings =
          tokenizer.isEmpty() && Files.isRegularFile(run.config())
              ? Optional.of(components.settingsOf(run))
              : Optional.empty();
      return new InitSource(
          run.checkpoint(), Checkpoint.read(run.checkpoint()), tokenizer, settings);
    }
    if (Files.isRegularFile(path.resolve("config.json"))) {
      ImportedModel model = HuggingFaceImport.read(path);
      return new InitSource(path, model.checkpoint(), model.tokenizerFile(), Optional.empty());
    }
    throw new ConfigurationException(
        KEY
            + " = "
            + source
            + ": "
            + path
            + " holds neither "
            + Checkpoint.METADATA_FILE
            + " (a checkpoint), checkpoint/"
            + Checkpoint.METADATA_FILE
            + " (a run) nor config.json (a Hugging Face model)");
  }

  private static Optional<Path> file(Path p) {
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }
}

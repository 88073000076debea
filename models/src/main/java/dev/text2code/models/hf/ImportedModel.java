package dev.text2code.models.hf;

import dev.text2code.api.Tokenizer;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.tokenizers.hf.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A Hugging Face model read into the SDK: its checkpoint (canonical weights, spec with the
 * architecture, an identity router), what it was, and its tokenizer file.
 */
public record ImportedModel(Checkpoint checkpoint, ModelInfo info) {
  public ImportedModel {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(info, "info");
  }

  /** The model's {@code tokenizer.json}, if its directory has one. */
  public Optional<Path> tokenizerFile() {
    return info.tokenizer();
  }

  /** The model's own tokenizer (the Hugging Face tokenizer path of {@code tokenizers}). */
  public Optional<Tokenizer> tokenizer() {
    return info.tokenizer().map(HuggingFaceTokenizer::load);
  }
}

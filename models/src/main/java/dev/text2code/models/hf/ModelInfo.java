package dev.text2code.models.hf;

import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.ArchitectureJson;
import dev.text2code.api.internal.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a Hugging Face model directory holds, from its config and weight headers alone (no weights
 * are read): for {@code sdk-cli info --model DIR}.
 *
 * @param directory the model directory
 * @param family the family it was recognised as
 * @param spec the SDK model it imports to (shapes and architecture)
 * @param parameterCount trainable parameters of {@code spec}
 * @param storedDtypes the element types of the tensors the import reads (F32, F16, BF16)
 * @param weightFormat "safetensors", "safetensors-sharded" or "pytorch-bin"
 * @param weightFiles the weight files
 * @param weightBytes their total size in bytes
 * @param tokenizer the directory's tokenizer.json, if it has one
 */
public record ModelInfo(
    Path directory,
    Family family,
    ModelSpec spec,
    long parameterCount,
    Set<String> storedDtypes,
    String weightFormat,
    List<Path> weightFiles,
    long weightBytes,
    Optional<Path> tokenizer) {
  public ModelInfo {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(spec, "spec");
    storedDtypes = Set.copyOf(storedDtypes);
    Objects.requireNonNull(weightFormat, "weightFormat");
    weightFiles = List.copyOf(weightFiles);
    Objects.requireNonNull(tokenizer, "tokenizer");
  }

  /** The "shape: ..." line of {@link #describe} for any spec (also an SDK checkpoint's). */
  public static String shapeLine(ModelSpec spec) {
    return "shape: "
        + spec.layers()
        + " layers, width "
        + spec.width()
        + ", "
        + spec.heads()
        + " heads of "
        + spec.headSize()
        + " ("
        + spec.kvHeads()
        + " kv), MLP "
        + spec.mlpInner()
        + ", context "
        + spec.contextLength()
        + ", vocabulary "
        + spec.embeddingRows();
  }

  /** One "key: value" line per fact, for a terminal. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    out.add("model: " + directory);
    out.add("family: " + family.configName() + " (" + family.architectureClass() + ")");
    out.add(shapeLine(spec));
    out.add("parameters: " + parameterCount);
    out.add("dtype: " + String.join(", ", new java.util.TreeSet<>(storedDtypes)));
    out.add(
        "weights: "
            + weightFormat
            + ", "
            + weightFiles.size()
            + " file(s), "
            + weightBytes
            + " bytes");
    out.add("tokenizer: " + tokenizer.map(Path::toString).orElse("none (no tokenizer.json)"));
    out.add("architecture: " + Json.write(ArchitectureJson.write(spec.architecture())));
    return out;
  }
}

package dev.text2code.models.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.internal.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a checkpoint as a Hugging Face directory of its family: {@code config.json}, {@code
 * model.safetensors} (float32, the family's own names and layouts; a tied head is left out, as
 * transformers does) and the tokenizer. A separated model is written with all its embedding rows
 * ({@code vocab_size} = rows) plus {@code text2code_separation.json} (docs/MODEL.md).
 */
public final class HuggingFaceExport {
  /** Written beside the weights of a separated model: the router that restricts the softmax. */
  public static final String SEPARATION_FILE = "text2code_separation.json";

  private HuggingFaceExport() {}

  /**
   * Exports {@code checkpoint} to {@code target} as {@code family} (empty: the family it was
   * imported from, else the one its architecture matches), with {@code tokenizer} copied in.
   */
  public static void write(
      Checkpoint checkpoint, Optional<Family> family, Optional<Path> tokenizer, Path target) {
    ModelSpec spec = checkpoint.spec();
    Family f = family.orElseGet(() -> familyOf(checkpoint));
    String dtype = "float32";
    ObjectNode config = f.config(spec, dtype);
    Map<String, String> source = checkpoint.state();
    for (String key : List.of("bos_token_id", "eos_token_id", "pad_token_id")) {
      String v = source.get("hf." + key);
      // unknown: null, since the family's default ids (GPT-2's 50256) may lie outside the
      // vocabulary
      if (v != null) config.put(key, Integer.parseInt(v));
      else config.putNull(key);
    }
    requireRepresentable(f, spec, config);
    List<Tensor> tensors = new ArrayList<>();
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
      TensorMapping m = f.mapping(p.name(), spec);
      Tensor t = checkpoint.weights().get(p.name());
      tensors.add(new Tensor(m.hfName(), m.hfShape(p.shape()), m.toHf(t.data(), p.shape())));
    }
    Path out = target.toAbsolutePath();
    Path staging = out.resolveSibling(out.getFileName() + ".export-" + System.nanoTime());
    try {
      Files.createDirectories(staging);
      ObjectMapper json = new ObjectMapper();
      Files.writeString(
          staging.resolve(HfConfig.FILE),
          json.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
      SafeTensors.write(staging.resolve(WeightFiles.SAFETENSORS), tensors, Map.of("format", "pt"));
      if (tokenizer.isPresent()) {
        Files.copy(tokenizer.get(), staging.resolve(HuggingFaceImport.TOKENIZER_FILE));
      }
      if (spec.separation() != Separation.NONE) {
        Map<String, Object> sep = new LinkedHashMap<>();
        sep.put("separation", checkpoint.router().separation().configName());
        sep.put("vocabulary_size", checkpoint.router().vocabularySize());
        sep.put("embedding_rows", checkpoint.router().embeddingRows());
        List<List<Integer>> pairs = new ArrayList<>();
        checkpoint.router().replicatedRows().forEach((k, v) -> pairs.add(List.of(k, v)));
        sep.put("replicated_rows", pairs);
        Files.writeString(
            staging.resolve(SEPARATION_FILE),
            json.writerWithDefaultPrettyPrinter().writeValueAsString(sep) + "\n");
      }
      HuggingFaceImport.replace(staging, out);
    } catch (IOException e) {
      throw new CheckpointException("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      HuggingFaceImport.deleteQuietly(staging);
    }
  }

  /** The family a checkpoint was imported from, else the first whose layout fits its spec. */
  static Family familyOf(Checkpoint checkpoint) {
    String recorded = checkpoint.state().get("hf.family");
    if (recorded != null) {
      for (Family f : Family.values()) if (f.configName().equals(recorded)) return f;
    }
    ModelSpec spec = checkpoint.spec();
    List<String> reasons = new ArrayList<>();
    for (Family f : Family.values()) {
      try {
        requireRepresentable(f, spec, f.config(spec, "float32"));
        return f;
      } catch (ConfigurationException e) {
        reasons.add(f.configName() + ": " + e.getMessage());
      }
    }
    throw new ConfigurationException(
        "no Hugging Face family represents this architecture: " + String.join("; ", reasons));
  }

  /** Fails unless reading {@code config} back gives exactly {@code spec}'s shape and switches. */
  private static void requireRepresentable(Family f, ModelSpec spec, ObjectNode config) {
    ModelSpec back;
    try {
      back = f.spec(new HfConfig(config, Path.of(HfConfig.FILE)));
    } catch (ConfigurationException e) {
      throw new ConfigurationException(
          f.configName() + " cannot hold this model: " + e.getMessage(), e);
    }
    Architecture a = spec.architecture();
    if (!back.architecture().equals(a)
        || back.layers() != spec.layers()
        || back.heads() != spec.heads()
        || back.width() != spec.width()
        || back.contextLength() != spec.contextLength()
        || back.embeddingRows() != spec.embeddingRows()) {
      List<String> diff = new ArrayList<>(back.architecture().differencesFromDefault());
      diff.removeAll(a.differencesFromDefault());
      List<String> missing = new ArrayList<>(a.differencesFromDefault());
      missing.removeAll(back.architecture().differencesFromDefault());
      throw new ConfigurationException(
          f.configName()
              + " cannot hold this model: its layout "
              + (missing.isEmpty() ? "" : "lacks " + missing + " ")
              + (diff.isEmpty() ? "" : "imposes " + diff));
    }
  }
}

package dev.text2code.models.hf;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Provenance;
import dev.text2code.api.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a Hugging Face model directory ({@code config.json}, weights, optional {@code
 * tokenizer.json}) of a supported {@link Family} into the SDK's {@link Checkpoint}. Weights are
 * memory-mapped one tensor at a time and widened to float32; tensors are renamed, transposed and
 * re-ordered into the canonical layout (docs/MODEL.md). Buffers the SDK does not need (causal
 * masks, rotary tables, a second name of a tied head) are ignored.
 */
public final class HuggingFaceImport {
  /** The tokenizer file name in a Hugging Face directory and in an imported checkpoint. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private HuggingFaceImport() {}

  /** What the directory holds, from the config and weight headers only. */
  public static ModelInfo info(Path directory) {
    return inspect(directory).info();
  }

  /** Reads the whole model. */
  public static ImportedModel read(Path directory) {
    Inspection in = inspect(directory);
    ModelSpec spec = in.info().spec();
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
      TensorMapping m = in.info().family().mapping(p.name(), spec);
      StoredTensor stored = in.stored().get(p.name());
      float[] data = m.toSdk(MappedReader.read(stored), p.shape());
      weights.put(p.name(), new Tensor(p.name(), p.shape(), data));
    }
    // Hugging Face facts the export needs again (family, special ids) travel in the free-form
    // state;
    // the typed provenance says where the weights came from.
    Map<String, String> source = new LinkedHashMap<>();
    source.put("hf.family", in.info().family().configName());
    source.put("hf.weights", in.info().weightFormat());
    source.put("hf.dtype", String.join(",", new java.util.TreeSet<>(in.info().storedDtypes())));
    for (String key : List.of("bos_token_id", "eos_token_id", "pad_token_id")) {
      if (in.config().root().path(key).canConvertToInt()) {
        source.put("hf." + key, Integer.toString(in.config().root().get(key).asInt()));
      }
    }
    in.info().tokenizer().ifPresent(t -> source.put("tokenizer", TOKENIZER_FILE));
    Provenance provenance =
        new Provenance(
            Provenance.currentSdkVersion(),
            java.time.Instant.now(),
            "huggingface-import",
            Map.of(),
            Provenance.UNKNOWN,
            Provenance.UNKNOWN,
            Provenance.UNKNOWN,
            Optional.empty(),
            Optional.of("huggingface:" + directory.toAbsolutePath().normalize()));
    MappedRouter router =
        new MappedRouter(Separation.NONE, spec.embeddingRows(), spec.embeddingRows(), Map.of());
    Checkpoint checkpoint =
        new Checkpoint(spec, router, weights, Map.of(), Optional.empty(), 0, source, provenance);
    return new ImportedModel(checkpoint, in.info());
  }

  /**
   * Imports {@code directory} into the checkpoint directory {@code target}, with the model's {@code
   * tokenizer.json} beside the weights when it has one. The target appears complete or not at all
   * (a sibling staging directory is renamed into place).
   */
  public static ImportedModel importTo(Path directory, Path target) {
    ImportedModel model = read(directory);
    Path out = target.toAbsolutePath();
    Path staging = out.resolveSibling(out.getFileName() + ".import-" + System.nanoTime());
    try {
      model.checkpoint().write(staging);
      if (model.tokenizerFile().isPresent()) {
        Files.copy(model.tokenizerFile().get(), staging.resolve(TOKENIZER_FILE));
      }
      replace(staging, out);
    } catch (IOException e) {
      throw new CheckpointException("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(staging);
    }
    return model;
  }

  /** Moves {@code staging} to {@code target} atomically, replacing an existing directory. */
  static void replace(Path staging, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) deleteQuietly(old);
  }

  static void deleteQuietly(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover staging directory never shadows a real checkpoint
    }
  }

  private record Inspection(HfConfig config, ModelInfo info, Map<String, StoredTensor> stored) {}

  private static Inspection inspect(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new CheckpointException(directory + " is not a directory");
    }
    HfConfig config = HfConfig.read(directory);
    WeightFiles files = WeightFiles.locate(directory);
    boolean top = files.tensors().keySet().stream().anyMatch(n -> n.startsWith("top_query_layer."));
    Family family = Family.of(config, top);
    ModelSpec spec = family.spec(config);
    Map<String, StoredTensor> stored = new LinkedHashMap<>();
    Set<String> dtypes = new LinkedHashSet<>();
    String where =
        files.files().size() == 1 ? files.files().get(0).toString() : directory.toString();
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
      TensorMapping m = family.mapping(p.name(), spec);
      StoredTensor t = find(files.tensors(), m.hfName(), family.prefix);
      if (t == null) {
        throw new CheckpointException(
            where
                + ": tensor "
                + m.hfName()
                + " is missing (the "
                + family.configName()
                + " layout of config.json needs it for "
                + p.name()
                + "); the weights hold "
                + files.tensors().size()
                + " tensors");
      }
      long[] expected = m.hfShape(p.shape());
      if (!Arrays.equals(t.shape(), expected)) {
        throw new CheckpointException(
            t.file()
                + ": tensor "
                + t.name()
                + " has shape "
                + Arrays.toString(t.shape())
                + " but config.json implies "
                + Arrays.toString(expected));
      }
      dtypes.add(t.type().name());
      stored.put(p.name(), t);
    }
    long bytes = 0;
    for (Path f : files.files()) {
      try {
        bytes += Files.size(f);
      } catch (IOException e) {
        throw new CheckpointException("cannot stat " + f + ": " + e.getMessage(), e);
      }
    }
    Path tokenizer = directory.resolve(TOKENIZER_FILE);
    ModelInfo info =
        new ModelInfo(
            directory,
            family,
            spec,
            spec.parameterCount(),
            dtypes,
            files.format(),
            files.files(),
            bytes,
            Files.isRegularFile(tokenizer) ? Optional.of(tokenizer) : Optional.empty());
    return new Inspection(config, info, stored);
  }

  /** A stored tensor by its full name, or without / with the family's class prefix. */
  private static StoredTensor find(Map<String, StoredTensor> tensors, String name, String prefix) {
    StoredTensor t = tensors.get(name);
    if (t == null && name.startsWith(prefix)) t = tensors.get(name.substring(prefix.length()));
    if (t == null && !name.startsWith(prefix)) t = tensors.get(prefix + name);
    return t;
  }
}

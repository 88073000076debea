package dev.text2code.api.checkpoint;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.internal.Json;
import dev.text2code.api.internal.SafeTensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A complete checkpoint, the one format all backends share:
 *
 * <pre>
 * DIR/model.safetensors      weights, canonical names (ParameterLayout)
 * DIR/optimizer.safetensors  AdamW moments "adam.m.NAME" and "adam.v.NAME" (absent for export-only checkpoints)
 * DIR/checkpoint.json        format, model spec, router, training config, completed steps, state, provenance
 * </pre>
 *
 * A directory is written atomically: everything goes to a sibling temporary directory that then
 * replaces the target, so a crash never leaves a half-written checkpoint under the target name.
 *
 * @param weights canonical name -> tensor
 * @param optimizer moment name -> tensor; empty when the checkpoint carries no optimizer state
 * @param config the training configuration, if the checkpoint came from training
 * @param state free-form resumable state (trainer cursor, RNG state, ...), string values
 * @param provenance who wrote it and from what ({@link Provenance})
 */
public record Checkpoint(
    ModelSpec spec,
    MappedRouter router,
    Map<String, Tensor> weights,
    Map<String, Tensor> optimizer,
    Optional<TrainingConfig> config,
    long completedSteps,
    Map<String, String> state,
    Provenance provenance) {
  public static final String FORMAT = "text2code-checkpoint-1";
  public static final String WEIGHTS_FILE = "model.safetensors";
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  public static final String METADATA_FILE = "checkpoint.json";

  public Checkpoint {
    weights = Map.copyOf(weights);
    optimizer = Map.copyOf(optimizer);
    state = Map.copyOf(state);
    java.util.Objects.requireNonNull(provenance, "provenance");
    if (router.embeddingRows() != spec.embeddingRows()) {
      throw new CheckpointException(
          "router has " + router.embeddingRows() + " rows but the spec " + spec.embeddingRows());
    }
  }

  /**
   * A checkpoint with an untyped provenance (from before {@link Provenance}): its {@code backend}
   * entry is kept, the other entries become engine versions.
   */
  public Checkpoint(
      ModelSpec spec,
      MappedRouter router,
      Map<String, Tensor> weights,
      Map<String, Tensor> optimizer,
      Optional<TrainingConfig> config,
      long completedSteps,
      Map<String, String> state,
      Map<String, String> provenance) {
    this(
        spec,
        router,
        weights,
        optimizer,
        config,
        completedSteps,
        state,
        Provenance.fromJson(new LinkedHashMap<>(provenance), "provenance"));
  }

  /** The same checkpoint with another provenance. */
  public Checkpoint withProvenance(Provenance provenance) {
    return new Checkpoint(
        spec, router, weights, optimizer, config, completedSteps, state, provenance);
  }

  /** Writes the checkpoint into {@code directory} atomically, replacing an existing one. */
  public void write(Path directory) {
    Path target = directory.toAbsolutePath();
    Path temp = target.resolveSibling(target.getFileName() + ".partial-" + System.nanoTime());
    try {
      Files.createDirectories(temp);
      List<Tensor> ordered = new ArrayList<>();
      for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
        Tensor t = weights.get(p.name());
        if (t == null)
          throw new CheckpointException("cannot save: parameter " + p.name() + " is missing");
        ordered.add(t);
      }
      SafeTensors.write(temp.resolve(WEIGHTS_FILE), ordered, Map.of("format", FORMAT));
      if (!optimizer.isEmpty()) {
        List<Tensor> moments = new ArrayList<>(optimizer.values());
        moments.sort(Comparator.comparing(Tensor::name));
        SafeTensors.write(temp.resolve(OPTIMIZER_FILE), moments, Map.of("format", FORMAT));
      }
      Files.writeString(
          temp.resolve(METADATA_FILE), Json.write(metadata()), StandardCharsets.UTF_8);
      Path old = null;
      if (Files.exists(target)) {
        old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) deleteTree(old);
    } catch (IOException e) {
      throw new CheckpointException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    } finally {
      if (Files.exists(temp)) deleteTreeQuietly(temp);
    }
  }

  /** Reads and validates a checkpoint directory. */
  @SuppressWarnings("unchecked")
  public static Checkpoint read(Path directory) {
    Path meta = directory.resolve(METADATA_FILE);
    if (!Files.isRegularFile(meta)) {
      throw new CheckpointException(
          directory + " is not a text2code checkpoint: " + METADATA_FILE + " is missing");
    }
    Map<String, Object> json;
    try {
      Object parsed = Json.parse(Files.readString(meta, StandardCharsets.UTF_8), meta.toString());
      if (!(parsed instanceof Map))
        throw new CheckpointException(meta + ": expected a JSON object");
      json = (Map<String, Object>) parsed;
    } catch (IOException | InvalidInputException e) {
      throw new CheckpointException("cannot read " + meta + ": " + e.getMessage(), e);
    }
    try {
      if (!FORMAT.equals(json.get("format"))) {
        throw new CheckpointException(
            meta + ": format " + json.get("format") + " is not " + FORMAT);
      }
      ModelSpec spec = specOf((Map<String, Object>) json.get("spec"), meta);
      Map<String, Object> r = (Map<String, Object>) json.get("router");
      Map<Integer, Integer> replicated = new LinkedHashMap<>();
      for (Object pair : (List<Object>) r.get("replicated")) {
        List<Object> kv = (List<Object>) pair;
        replicated.put(((Number) kv.get(0)).intValue(), ((Number) kv.get(1)).intValue());
      }
      MappedRouter router =
          new MappedRouter(
              Separation.parse((String) r.get("separation")),
              intOf(r, "vocabularySize"),
              intOf(r, "embeddingRows"),
              replicated);
      Optional<TrainingConfig> config =
          Optional.ofNullable((Map<String, Object>) json.get("training")).map(Checkpoint::configOf);
      long steps = ((Number) json.get("completedSteps")).longValue();
      Map<String, String> state =
          strings((Map<String, Object>) json.getOrDefault("state", Map.of()));
      Provenance provenance =
          Provenance.fromJson(
              (Map<String, Object>) json.getOrDefault("provenance", Map.of()), meta.toString());
      Path weightsFile = directory.resolve(WEIGHTS_FILE);
      if (!Files.isRegularFile(weightsFile)) {
        throw new CheckpointException(directory + ": " + WEIGHTS_FILE + " is missing");
      }
      Map<String, Tensor> weights =
          ParameterLayout.checkComplete(
              spec, SafeTensors.read(weightsFile).tensors(), weightsFile.toString());
      Path optimizerFile = directory.resolve(OPTIMIZER_FILE);
      Map<String, Tensor> optimizer =
          Files.isRegularFile(optimizerFile) ? SafeTensors.read(optimizerFile).tensors() : Map.of();
      return new Checkpoint(spec, router, weights, optimizer, config, steps, state, provenance);
    } catch (ClassCastException | NullPointerException e) {
      throw new CheckpointException(meta + ": malformed checkpoint metadata (" + e + ")", e);
    }
  }

  /** The model spec of a checkpoint directory, from its metadata alone (no weights are read). */
  @SuppressWarnings("unchecked")
  public static ModelSpec readSpec(Path directory) {
    Path meta = directory.resolve(METADATA_FILE);
    if (!Files.isRegularFile(meta)) {
      throw new CheckpointException(
          directory + " is not a text2code checkpoint: " + METADATA_FILE + " is missing");
    }
    try {
      Object parsed = Json.parse(Files.readString(meta, StandardCharsets.UTF_8), meta.toString());
      if (!(parsed instanceof Map))
        throw new CheckpointException(meta + ": expected a JSON object");
      return specOf((Map<String, Object>) ((Map<String, Object>) parsed).get("spec"), meta);
    } catch (IOException | InvalidInputException e) {
      throw new CheckpointException("cannot read " + meta + ": " + e.getMessage(), e);
    } catch (ClassCastException | NullPointerException e) {
      throw new CheckpointException(meta + ": malformed checkpoint metadata (" + e + ")", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static ModelSpec specOf(Map<String, Object> s, Path meta) {
    Object arch = s.get("architecture");
    return new ModelSpec(
        intOf(s, "layers"),
        intOf(s, "heads"),
        intOf(s, "width"),
        intOf(s, "context"),
        intOf(s, "embeddingRows"),
        Separation.parse((String) s.get("separation")),
        ((Number) s.get("dropout")).doubleValue(),
        arch == null
            ? Architecture.TEXT2CODE
            : ArchitectureJson.read((Map<String, Object>) arch, meta + ": spec.architecture"));
  }

  /** A router equal to this checkpoint's. */
  public ModalityRouter modalityRouter() {
    return router;
  }

  private Map<String, Object> metadata() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("layers", spec.layers());
    s.put("heads", spec.heads());
    s.put("width", spec.width());
    s.put("context", spec.contextLength());
    s.put("embeddingRows", spec.embeddingRows());
    s.put("separation", spec.separation().configName());
    s.put("dropout", spec.dropout());
    s.put("architecture", ArchitectureJson.write(spec.architecture()));
    json.put("spec", s);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("separation", router.separation().configName());
    r.put("vocabularySize", router.vocabularySize());
    r.put("embeddingRows", router.embeddingRows());
    List<Object> pairs = new ArrayList<>();
    router.replicatedRows().forEach((k, v) -> pairs.add(List.of(k, v)));
    r.put("replicated", pairs);
    json.put("router", r);
    config.ifPresent(c -> json.put("training", configJson(c)));
    json.put("completedSteps", completedSteps);
    json.put("state", new java.util.TreeMap<>(state));
    json.put("provenance", provenance.toJson());
    return json;
  }

  private static Map<String, Object> configJson(TrainingConfig c) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("seed", c.seed());
    t.put("batchSize", c.batchSize());
    t.put("gradientAccumulation", c.gradientAccumulation());
    t.put("maxSteps", c.maxSteps());
    t.put("learningRate", c.learningRate());
    t.put("minLearningRate", c.minLearningRate());
    t.put("warmupSteps", c.warmupSteps());
    t.put("weightDecay", c.weightDecay());
    t.put("beta1", c.beta1());
    t.put("beta2", c.beta2());
    t.put("epsilon", c.epsilon());
    t.put("gradientClip", c.gradientClip());
    t.put("evalInterval", c.evalInterval());
    t.put("device", c.device().name());
    return t;
  }

  private static TrainingConfig configOf(Map<String, Object> t) {
    return new TrainingConfig(
        ((Number) t.get("seed")).longValue(),
        intOf(t, "batchSize"),
        intOf(t, "gradientAccumulation"),
        ((Number) t.get("maxSteps")).longValue(),
        num(t, "learningRate"),
        num(t, "minLearningRate"),
        ((Number) t.get("warmupSteps")).longValue(),
        num(t, "weightDecay"),
        num(t, "beta1"),
        num(t, "beta2"),
        num(t, "epsilon"),
        num(t, "gradientClip"),
        ((Number) t.get("evalInterval")).longValue(),
        Device.parse((String) t.get("device")));
  }

  private static int intOf(Map<String, Object> m, String key) {
    return Math.toIntExact(((Number) m.get(key)).longValue());
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  private static Map<String, String> strings(Map<String, Object> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static void deleteTreeQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException ignored) {
      // best effort: the temporary directory is named so that it never shadows a real checkpoint
    }
  }
}

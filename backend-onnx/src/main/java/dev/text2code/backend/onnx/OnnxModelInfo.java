package dev.text2code.backend.onnx;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.ArchitectureJson;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.internal.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an exported ONNX file says about its model, stored as {@code text2code.*} metadata
 * properties: the model spec, the router (separation, vocabulary size, replication map as {@code
 * original:replica} pairs) and the fingerprint of the checkpoint it came from.
 */
public record OnnxModelInfo(ModelSpec spec, MappedRouter router, String sourceFingerprint) {
  private static final String P = "text2code.";

  public OnnxModelInfo {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(sourceFingerprint, "sourceFingerprint");
    if (router.embeddingRows() != spec.embeddingRows()) {
      throw new CheckpointException(
          "router has " + router.embeddingRows() + " rows but the spec " + spec.embeddingRows());
    }
  }

  static OnnxModelInfo of(Checkpoint checkpoint, String sourceFingerprint) {
    return new OnnxModelInfo(checkpoint.spec(), checkpoint.router(), sourceFingerprint);
  }

  Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(P + "format", OnnxExporter.FORMAT);
    m.put(P + "layers", Integer.toString(spec.layers()));
    m.put(P + "heads", Integer.toString(spec.heads()));
    m.put(P + "width", Integer.toString(spec.width()));
    m.put(P + "context", Integer.toString(spec.contextLength()));
    m.put(P + "embedding_rows", Integer.toString(spec.embeddingRows()));
    m.put(P + "separation", spec.separation().configName());
    m.put(P + "dropout", Double.toString(spec.dropout()));
    if (!spec.architecture().isDefault()) {
      m.put(P + "architecture", Json.write(ArchitectureJson.write(spec.architecture())));
    }
    m.put(P + "router_separation", router.separation().configName());
    m.put(P + "vocabulary_size", Integer.toString(router.vocabularySize()));
    StringBuilder pairs = new StringBuilder();
    router
        .replicatedRows()
        .forEach(
            (k, v) -> pairs.append(pairs.length() == 0 ? "" : ",").append(k).append(':').append(v));
    m.put(P + "replicated", pairs.toString());
    m.put(P + "source_sha256", sourceFingerprint);
    return m;
  }

  /**
   * Reads the metadata of an exported file.
   *
   * @param where the file, for error messages
   */
  static OnnxModelInfo fromMetadata(Map<String, String> m, String where) {
    String format = m.get(P + "format");
    if (!OnnxExporter.FORMAT.equals(format)) {
      throw new CheckpointException(
          where
              + " is not a text2code ONNX export: metadata "
              + P
              + "format is "
              + format
              + ", expected "
              + OnnxExporter.FORMAT
              + " (export it with OnnxExporter or sdk-cli export --to onnx)");
    }
    try {
      ModelSpec spec =
          new ModelSpec(
              intOf(m, "layers", where),
              intOf(m, "heads", where),
              intOf(m, "width", where),
              intOf(m, "context", where),
              intOf(m, "embedding_rows", where),
              Separation.parse(required(m, "separation", where)),
              Double.parseDouble(required(m, "dropout", where)));
      String architecture = m.get(P + "architecture");
      if (architecture != null) {
        spec =
            spec.withArchitecture(
                ArchitectureJson.read(
                    objectOf(
                        Json.parse(architecture, where + ": metadata " + P + "architecture"),
                        where),
                    where + ": metadata " + P + "architecture"));
      }
      Map<Integer, Integer> replicated = new TreeMap<>();
      String pairs = required(m, "replicated", where);
      if (!pairs.isEmpty()) {
        for (String pair : pairs.split(",")) {
          String[] kv = pair.split(":");
          replicated.put(Integer.parseInt(kv[0]), Integer.parseInt(kv[1]));
        }
      }
      MappedRouter router =
          new MappedRouter(
              Separation.parse(required(m, "router_separation", where)),
              intOf(m, "vocabulary_size", where),
              spec.embeddingRows(),
              replicated);
      return new OnnxModelInfo(spec, router, m.getOrDefault(P + "source_sha256", ""));
    } catch (RuntimeException e) {
      if (e instanceof CheckpointException c) throw c;
      throw new CheckpointException(
          where + ": malformed text2code metadata (" + e.getMessage() + ")", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> objectOf(Object json, String where) {
    if (json instanceof Map<?, ?> map) return (Map<String, Object>) map;
    throw new CheckpointException(where + ": metadata " + P + "architecture is not a JSON object");
  }

  private static String required(Map<String, String> m, String key, String where) {
    String v = m.get(P + key);
    if (v == null) throw new CheckpointException(where + ": metadata " + P + key + " is missing");
    return v;
  }

  private static int intOf(Map<String, String> m, String key, String where) {
    return Integer.parseInt(required(m, key, where));
  }
}

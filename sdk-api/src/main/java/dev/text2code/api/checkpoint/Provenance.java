package dev.text2code.api.checkpoint;

import dev.text2code.api.CheckpointException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Who made a checkpoint and from what, the same fields whichever backend wrote it. Checkpoints
 * written before provenance was typed load with {@link #UNKNOWN} in the fields they lack (their old
 * entries other than {@code backend} are kept in {@code engine}).
 *
 * @param sdkVersion the text2code version that wrote it
 * @param created when it was written (UTC)
 * @param backend the backend's configuration name
 * @param engine the compute engine's own versions, for example {@code tensorflow -> 1.1.0}
 * @param objective the objective it was trained with
 * @param tokenizerFingerprint the fingerprint of the tokenizer it was trained with
 * @param preparedDataHash SHA-256 of the prepared training data's manifest
 * @param parentCheckpoint the checkpoint its training started from, if any
 * @param importedFrom where its weights were converted from, for an imported model
 */
public record Provenance(
    String sdkVersion,
    Instant created,
    String backend,
    Map<String, String> engine,
    String objective,
    String tokenizerFingerprint,
    String preparedDataHash,
    Optional<String> parentCheckpoint,
    Optional<String> importedFrom) {
  /** The value of a field nobody recorded. */
  public static final String UNKNOWN = "unknown";

  public Provenance {
    requireText("sdkVersion", sdkVersion);
    Objects.requireNonNull(created, "created");
    requireText("backend", backend);
    engine = Map.copyOf(engine);
    requireText("objective", objective);
    requireText("tokenizerFingerprint", tokenizerFingerprint);
    requireText("preparedDataHash", preparedDataHash);
    Objects.requireNonNull(parentCheckpoint, "parentCheckpoint");
    Objects.requireNonNull(importedFrom, "importedFrom");
  }

  /** A checkpoint nobody described (built in memory by tests, or written before provenance). */
  public static Provenance unknown() {
    return new Provenance(
        UNKNOWN,
        Instant.EPOCH,
        UNKNOWN,
        Map.of(),
        UNKNOWN,
        UNKNOWN,
        UNKNOWN,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * What a backend records when a training session saves: this SDK's version, now, the backend and
   * its engine versions, and what the trainer said about the run.
   */
  public static Provenance ofTraining(
      String backend, Map<String, String> engine, TrainingOrigin origin) {
    return new Provenance(
        currentSdkVersion(),
        Instant.now(),
        backend,
        engine,
        origin.objective(),
        origin.tokenizerFingerprint(),
        origin.preparedDataHash(),
        origin.parentCheckpoint(),
        origin.importedFrom());
  }

  /** The version of this SDK, as built. */
  public static String currentSdkVersion() {
    Properties p = new Properties();
    try (InputStream in = Provenance.class.getResourceAsStream("sdk-version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      return UNKNOWN;
    }
    String version = p.getProperty("version", UNKNOWN);
    return version.startsWith("${") ? UNKNOWN : version;
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sdkVersion", sdkVersion);
    json.put("created", created.toString());
    json.put("backend", backend);
    json.put("engine", new TreeMap<>(engine));
    json.put("objective", objective);
    json.put("tokenizerFingerprint", tokenizerFingerprint);
    json.put("preparedDataHash", preparedDataHash);
    parentCheckpoint.ifPresent(p -> json.put("parentCheckpoint", p));
    importedFrom.ifPresent(p -> json.put("importedFrom", p));
    return json;
  }

  /** Reads the {@code provenance} object of checkpoint.json, typed or from before it was. */
  @SuppressWarnings("unchecked")
  static Provenance fromJson(Map<String, Object> json, String where) {
    if (!json.containsKey("sdkVersion")) {
      Map<String, String> engine = new TreeMap<>();
      json.forEach((k, v) -> engine.put(k, String.valueOf(v)));
      String backend = engine.getOrDefault("backend", UNKNOWN);
      engine.remove("backend");
      Provenance u = unknown();
      return new Provenance(
          u.sdkVersion,
          u.created,
          backend,
          engine,
          UNKNOWN,
          UNKNOWN,
          UNKNOWN,
          u.parentCheckpoint,
          u.importedFrom);
    }
    try {
      Map<String, String> engine = new TreeMap<>();
      ((Map<String, Object>) json.getOrDefault("engine", Map.of()))
          .forEach((k, v) -> engine.put(k, String.valueOf(v)));
      return new Provenance(
          text(json, "sdkVersion"),
          Instant.parse(text(json, "created")),
          text(json, "backend"),
          engine,
          text(json, "objective"),
          text(json, "tokenizerFingerprint"),
          text(json, "preparedDataHash"),
          Optional.ofNullable((String) json.get("parentCheckpoint")),
          Optional.ofNullable((String) json.get("importedFrom")));
    } catch (DateTimeParseException | ClassCastException | IllegalArgumentException e) {
      throw new CheckpointException(
          where + ": provenance is malformed (" + e.getMessage() + ")", e);
    }
  }

  private static String text(Map<String, Object> json, String key) {
    Object v = json.get(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("provenance." + key + " = " + v + " is not a string");
    }
    return s;
  }

  static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "provenance " + field + " = '" + value + "' is not valid; expected text (or unknown)");
    }
  }
}

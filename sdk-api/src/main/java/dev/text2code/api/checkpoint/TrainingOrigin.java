package dev.text2code.api.checkpoint;

import java.util.Objects;
import java.util.Optional;

/**
 * What a training run knows about where its model comes from and the backend does not: the
 * objective, the tokenizer and the prepared data it trained on, and the checkpoint it started from.
 * The trainer hands it to {@code TrainingSession.save}, which records it in the {@link Provenance}.
 *
 * @param objective the objective's configuration name
 * @param tokenizerFingerprint the tokenizer's fingerprint (vocabulary and special tokens)
 * @param preparedDataHash SHA-256 of the prepared training data's {@code manifest.json}
 * @param parentCheckpoint the checkpoint training started from, when not a fresh model
 * @param importedFrom where the weights training started from were converted from (a Hugging Face
 *     directory), when they were imported
 */
public record TrainingOrigin(
    String objective,
    String tokenizerFingerprint,
    String preparedDataHash,
    Optional<String> parentCheckpoint,
    Optional<String> importedFrom) {
  /** For training whose caller records nothing (tests, benchmarks). */
  public static final TrainingOrigin UNKNOWN =
      new TrainingOrigin(
          Provenance.UNKNOWN, Provenance.UNKNOWN, Provenance.UNKNOWN, Optional.empty());

  /** An origin of weights that were not imported. */
  public TrainingOrigin(
      String objective,
      String tokenizerFingerprint,
      String preparedDataHash,
      Optional<String> parentCheckpoint) {
    this(objective, tokenizerFingerprint, preparedDataHash, parentCheckpoint, Optional.empty());
  }

  public TrainingOrigin {
    Provenance.requireText("objective", objective);
    Provenance.requireText("tokenizerFingerprint", tokenizerFingerprint);
    Provenance.requireText("preparedDataHash", preparedDataHash);
    Objects.requireNonNull(parentCheckpoint, "parentCheckpoint");
    Objects.requireNonNull(importedFrom, "importedFrom");
  }
}

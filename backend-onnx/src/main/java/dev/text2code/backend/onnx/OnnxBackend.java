package dev.text2code.backend.onnx;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.UnsupportedCapabilityException;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code onnx} backend: exports a checkpoint to ONNX ({@link OnnxExporter}) and generates with
 * ONNX Runtime. It cannot train (ONNX Runtime has no training build on Maven Central). Constructing
 * it loads no native library.
 */
public final class OnnxBackend implements Backend {
  public static final String NAME = "onnx";

  /** The cached export inside a checkpoint directory. */
  public static final String CACHED_EXPORT = "model.onnx";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return Collections.unmodifiableSet(EnumSet.of(Capability.GENERATE, Capability.EXPORT_ONNX));
  }

  @Override
  public TrainingSession openTraining(
      ModelSpec spec, TrainingConfig config, ModalityRouter router) {
    throw cannotTrain();
  }

  @Override
  public TrainingSession resumeTraining(Path checkpoint, TrainingConfig config) {
    throw cannotTrain();
  }

  private UnsupportedCapabilityException cannotTrain() {
    return new UnsupportedCapabilityException(
        "backend onnx cannot train: ONNX Runtime has no training build on Maven Central. Train with"
            + " backend pytorch or tensorflow, then generate from the checkpoint with backend onnx");
  }

  @Override
  public void exportOnnx(Path checkpoint, Path onnxFile) {
    OnnxExporter.export(checkpoint, onnxFile);
  }

  /**
   * Opens a checkpoint directory (exported to {@code DIR/model.onnx} on first use, re-exported when
   * the checkpoint changed) or an exported {@code .onnx} file.
   */
  @Override
  public Generator openGenerator(Path checkpoint, Device device) {
    return OnnxStep.generator(
        OnnxDecoder.open(exportedModel(checkpoint), device), OnnxStep.DEFAULT_BATCH_ROWS);
  }

  /**
   * The ONNX file for a checkpoint directory or {@code .onnx} file: the cached export when it was
   * made from the checkpoint's current contents, else a fresh export.
   */
  public static Path exportedModel(Path checkpoint) {
    if (Files.isRegularFile(checkpoint)) return checkpoint;
    if (!Files.isDirectory(checkpoint)) {
      throw new CheckpointException(
          checkpoint + " does not exist; expected a checkpoint directory or an .onnx file");
    }
    if (!Files.isRegularFile(checkpoint.resolve(Checkpoint.METADATA_FILE))) {
      throw new CheckpointException(
          checkpoint
              + " is not a text2code checkpoint: "
              + Checkpoint.METADATA_FILE
              + " is missing");
    }
    String fingerprint = OnnxExporter.fingerprint(checkpoint);
    Path cached = checkpoint.resolve(CACHED_EXPORT);
    if (Files.isRegularFile(cached) && fingerprint.equals(OnnxFiles.sourceFingerprint(cached))) {
      return cached;
    }
    Checkpoint source = Checkpoint.read(checkpoint);
    try {
      OnnxExporter.export(source, fingerprint, cached);
      return cached;
    } catch (CheckpointException e) {
      // a read-only checkpoint directory: export to a temporary file instead
      try {
        Path temp = Files.createTempFile("text2code-", ".onnx");
        temp.toFile().deleteOnExit();
        OnnxExporter.externalDataFile(temp).toFile().deleteOnExit();
        OnnxExporter.export(source, fingerprint, temp);
        return temp;
      } catch (IOException io) {
        e.addSuppressed(io);
        throw e;
      }
    }
  }
}

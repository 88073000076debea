package dev.text2code.objectives.prepare;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the rows {@link DataPreparer} wrote back into {@link TrainingExample}s, shard by shard, in
 * manifest order.
 */
public final class PreparedDataset {
  private final Path directory;
  private final Manifest manifest;

  private PreparedDataset(Path directory, Manifest manifest) {
    this.directory = directory;
    this.manifest = manifest;
  }

  /** Opens a prepared directory; it must hold a complete manifest. */
  public static PreparedDataset open(Path directory) {
    Manifest manifest =
        DataPreparer.readManifest(directory)
            .orElseThrow(
                () ->
                    InvalidInputException.at(
                        directory.resolve(DataPreparer.MANIFEST),
                        0,
                        "missing: not a prepared directory"));
    if (!manifest.complete()) {
      throw InvalidInputException.at(
          directory.resolve(DataPreparer.MANIFEST),
          0,
          "preparation is not complete ("
              + manifest.rows()
              + " rows so far); run prepare again to finish it");
    }
    return new PreparedDataset(directory, manifest);
  }

  public Manifest manifest() {
    return manifest;
  }

  /**
   * Every row of every shard. Memory grows with the dataset: meant for the small runs of the CLI
   * and tests.
   */
  public List<TrainingExample> readAll() {
    List<TrainingExample> rows = new ArrayList<>();
    for (Manifest.Shard shard : manifest.shards()) rows.addAll(readShard(shard));
    return rows;
  }

  /** The rows of one shard. */
  public List<TrainingExample> readShard(Manifest.Shard shard) {
    Npy.Array2d inputs = array(shard, "inputs");
    Npy.Array2d labels = array(shard, "labels");
    Npy.Array2d positions = array(shard, "positions");
    Npy.Array2d segments = array(shard, "segments");
    Npy.Array2d prefixes = array(shard, "prefix_lengths");
    Npy.Array2d modalities = array(shard, "target_modalities");
    int n = inputs.columns();
    List<TrainingExample> rows = new ArrayList<>(inputs.rows());
    for (int r = 0; r < inputs.rows(); r++) {
      int from = r * n;
      int[] segmentIds = Arrays.copyOfRange(segments.data(), from, from + n);
      int segmentCount = segmentIds[n - 1] + 1;
      int[] prefixLengths = Arrays.copyOfRange(prefixes.data(), from, from + segmentCount);
      byte[] targetModalities = new byte[n];
      for (int i = 0; i < n; i++) targetModalities[i] = (byte) modalities.data()[from + i];
      rows.add(
          TrainingExample.of(
              Arrays.copyOfRange(inputs.data(), from, from + n),
              Arrays.copyOfRange(labels.data(), from, from + n),
              targetModalities,
              Arrays.copyOfRange(positions.data(), from, from + n),
              AttentionSpec.segments(segmentIds, prefixLengths)));
    }
    return rows;
  }

  private Npy.Array2d array(Manifest.Shard shard, String name) {
    Path file = directory.resolve(shard.name() + "." + name + ".npy");
    Npy.Array2d array = Npy.read(file);
    if (array.rows() != shard.rows() || array.columns() != manifest.rowLength()) {
      throw InvalidInputException.at(
          file,
          0,
          "shape ("
              + array.rows()
              + ", "
              + array.columns()
              + ") does not match the manifest's ("
              + shard.rows()
              + ", "
              + manifest.rowLength()
              + ")");
    }
    return array;
  }
}

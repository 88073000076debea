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

  /**
   * Every row of every shard, in manifest order, as a random-access view: nothing is read when it
   * is made; {@code get(i)} reads row {@code i} from its memory-mapped shard files. Memory stays
   * flat however large the dataset, and a resumed run reads only the rows it uses.
   */
  public List<TrainingExample> rows() {
    return new LazyRows();
  }

  /**
   * The padding cells of all rows: per row, the trailing run of its last attention segment when
   * every one of those cells holds the pad id with no label, as {@code Packer} pads. Reads one
   * shard at a time.
   */
  public long paddingTokens() {
    long padding = 0;
    int n = manifest.rowLength();
    for (Manifest.Shard shard : manifest.shards()) {
      // Read into the heap one shard at a time: mapped pages would count as resident memory.
      int[] ids = array(shard, "inputs").data();
      int[] targets = array(shard, "labels").data();
      int[] segmentIds = array(shard, "segments").data();
      for (int r = 0; r < shard.rows(); r++) {
        int from = r * n;
        int last = segmentIds[from + n - 1];
        int run = 0;
        boolean pad = true;
        for (int i = from + n - 1; i >= from && segmentIds[i] == last; i--) {
          pad &= ids[i] == manifest.padId() && targets[i] == TrainingExample.IGNORE;
          run++;
        }
        if (pad && run < n) padding += run;
      }
    }
    return padding;
  }

  private final class LazyRows extends java.util.AbstractList<TrainingExample>
      implements java.util.RandomAccess {
    private final long[] starts = new long[manifest.shards().size() + 1];
    private final Npy.Mapped[][] arrays = new Npy.Mapped[manifest.shards().size()][];

    LazyRows() {
      for (int s = 0; s < manifest.shards().size(); s++) {
        starts[s + 1] = starts[s] + manifest.shards().get(s).rows();
      }
      if (starts[starts.length - 1] > Integer.MAX_VALUE) {
        throw new InvalidInputException(
            directory
                + " holds "
                + starts[starts.length - 1]
                + " rows; at most 2^31 - 1 fit a list");
      }
    }

    @Override
    public int size() {
      return (int) starts[starts.length - 1];
    }

    @Override
    public TrainingExample get(int index) {
      if (index < 0 || index >= size()) {
        throw new IndexOutOfBoundsException("row " + index + " of " + size());
      }
      int s = java.util.Arrays.binarySearch(starts, index);
      s = s >= 0 ? s : -s - 2;
      while (starts[s + 1] <= index) s++;
      Npy.Mapped[] a = shardArrays(s);
      int r = (int) (index - starts[s]);
      int n = manifest.rowLength();
      int[] segmentIds = a[3].row(r, 0, n);
      int segmentCount = segmentIds[n - 1] + 1;
      int[] modalities = a[5].row(r, 0, n);
      byte[] targetModalities = new byte[n];
      for (int i = 0; i < n; i++) targetModalities[i] = (byte) modalities[i];
      return TrainingExample.of(
          a[0].row(r, 0, n),
          a[1].row(r, 0, n),
          targetModalities,
          a[2].row(r, 0, n),
          AttentionSpec.segments(segmentIds, a[4].row(r, 0, segmentCount)));
    }

    private synchronized Npy.Mapped[] shardArrays(int s) {
      if (arrays[s] == null) {
        Manifest.Shard shard = manifest.shards().get(s);
        Npy.Mapped[] a = new Npy.Mapped[Manifest.ARRAYS.size()];
        for (int i = 0; i < a.length; i++) a[i] = mapped(shard, Manifest.ARRAYS.get(i));
        arrays[s] = a;
      }
      return arrays[s];
    }
  }

  private Npy.Mapped mapped(Manifest.Shard shard, String name) {
    Path file = directory.resolve(shard.name() + "." + name + ".npy");
    Npy.Mapped array = Npy.map(file);
    checkShape(file, shard, array.rows(), array.columns());
    return array;
  }

  /** Fails, naming the file, where a shard array's shape is not the manifest's. */
  private void checkShape(Path file, Manifest.Shard shard, long rows, long columns) {
    if (rows != shard.rows() || columns != manifest.rowLength()) {
      throw InvalidInputException.at(
          file,
          0,
          "shape ("
              + rows
              + ", "
              + columns
              + ") does not match the manifest's ("
              + shard.rows()
              + ", "
              + manifest.rowLength()
              + ")");
    }
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
    checkShape(file, shard, array.rows(), array.columns());
    return array;
  }
}

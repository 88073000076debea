package dev.text2code.objectives.prepare;

import java.util.List;

/**
 * {@code manifest.json}: what was prepared and how far it got. {@code examplesRead} is where a
 * resumed run continues: every example before it is in a written shard (or was dropped or skipped),
 * none after it is.
 *
 * @param format the manifest format version
 * @param shards one entry per complete shard, in order
 * @param complete whether the whole corpus has been written
 */
public record Manifest(
    int format,
    String objective,
    long seed,
    long epoch,
    String tokenizerName,
    String tokenizerHash,
    int rowLength,
    int rowsPerShard,
    int padId,
    String overflow,
    List<String> arrays,
    List<Shard> shards,
    long examplesRead,
    long examplesPacked,
    long examplesDropped,
    long examplesTruncated,
    long examplesSkipped,
    long rows,
    boolean complete) {
  public static final int FORMAT = 1;

  /** The arrays every shard holds, one {@code .npy} file each: {@code shard-00000.<name>.npy}. */
  public static final List<String> ARRAYS =
      List.of("inputs", "labels", "positions", "segments", "prefix_lengths", "target_modalities");

  public Manifest {
    arrays = List.copyOf(arrays);
    shards = List.copyOf(shards);
  }

  /**
   * One shard.
   *
   * @param name the file prefix, such as {@code shard-00000}
   */
  public record Shard(String name, int rows, long examples) {}
}

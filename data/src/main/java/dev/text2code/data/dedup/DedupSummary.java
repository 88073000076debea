package dev.text2code.data.dedup;

import java.util.List;

/**
 * What a deduplication pass did.
 *
 * @param exact whether exact duplicates were removed
 * @param near whether near-duplicates were removed
 * @param threshold the Jaccard threshold of near-duplicates
 * @param pairsIn pairs offered
 * @param pairsKept pairs kept
 * @param exactDuplicates pairs removed as exact duplicates
 * @param nearDuplicates pairs removed as near-duplicates
 * @param examples the first removed pairs, with the kept pair each duplicated
 */
public record DedupSummary(
    boolean exact,
    boolean near,
    double threshold,
    long pairsIn,
    long pairsKept,
    long exactDuplicates,
    long nearDuplicates,
    List<Example> examples) {
  public DedupSummary {
    examples = List.copyOf(examples);
  }

  /**
   * One removed pair.
   *
   * @param removedId the removed pair's id
   * @param keptId the id of the kept pair it duplicates
   * @param kind {@code exact} or {@code near}
   * @param similarity the estimated Jaccard similarity (1 for exact duplicates)
   */
  public record Example(String removedId, String keptId, String kind, double similarity) {}
}

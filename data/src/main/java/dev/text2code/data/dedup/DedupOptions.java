package dev.text2code.data.dedup;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;

/**
 * How duplicates are found.
 *
 * @param exact remove pairs whose normalised text and code equal an earlier pair's
 * @param near remove pairs whose code is a near-duplicate of an earlier kept pair's
 * @param threshold the estimated Jaccard similarity of code shingles at and above which two pairs
 *     are near-duplicates, in (0, 1]; BigCode used 0.85
 * @param shingleSize tokens per shingle ({@link dev.text2code.data.CodeTokens})
 * @param permutations MinHash signature length
 * @param bands LSH bands; must divide {@code permutations} (rows per band = permutations / bands)
 * @param seed seeds the MinHash permutations; pairs' fate depends only on the corpus and this
 * @param examples how many removed pairs the report lists
 */
public record DedupOptions(
    boolean exact,
    boolean near,
    double threshold,
    int shingleSize,
    int permutations,
    int bands,
    long seed,
    int examples) {
  public DedupOptions {
    ConfigurationException.require(
        threshold > 0 && threshold <= 1, "threshold", threshold, "a number in (0, 1]");
    ConfigurationException.require(
        shingleSize >= 1 && shingleSize <= 64, "shingleSize", shingleSize, "an integer in [1, 64]");
    ConfigurationException.require(
        permutations >= 1 && permutations <= 1024,
        "permutations",
        permutations,
        "an integer in [1, 1024]");
    ConfigurationException.require(
        bands >= 1 && permutations % bands == 0,
        "bands",
        bands,
        "a positive divisor of permutations (" + permutations + ")");
    ConfigurationException.require(examples >= 0, "examples", examples, "a non-negative integer");
  }

  /** Exact and near-duplicate removal with BigCode's threshold. */
  public static DedupOptions defaults() {
    return new DedupOptions(true, true, 0.85, 5, 128, 16, 42, 20);
  }

  /** Neither exact nor near-duplicate removal. */
  public static DedupOptions none() {
    return new DedupOptions(false, false, 0.85, 5, 128, 16, 42, 20);
  }

  /** These options with exact and near-duplicate removal switched as given. */
  public DedupOptions withMode(boolean exact, boolean near) {
    return new DedupOptions(
        exact, near, threshold, shingleSize, permutations, bands, seed, examples);
  }

  public boolean enabled() {
    return exact || near;
  }

  public int rowsPerBand() {
    return permutations / bands;
  }

  /**
   * Reads {@code data.dedup.}{@code mode} (none | exact | near; near removes exact duplicates too),
   * {@code threshold}, {@code shingle-size}, {@code permutations}, {@code bands}, {@code seed} and
   * {@code examples}.
   */
  public static DedupOptions fromSettings(Settings settings) {
    DedupOptions d = defaults();
    String mode = settings.string("data.dedup.mode", "none").trim();
    boolean exact;
    boolean near;
    switch (mode) {
      case "none" -> {
        exact = false;
        near = false;
      }
      case "exact" -> {
        exact = true;
        near = false;
      }
      case "near" -> {
        exact = true;
        near = true;
      }
      default ->
          throw new ConfigurationException(
              settings.origin()
                  + ": data.dedup.mode = "
                  + mode
                  + " is not valid; expected none, exact or near");
    }
    try {
      return new DedupOptions(
          exact,
          near,
          settings.number("data.dedup.threshold", d.threshold()),
          (int) settings.integer("data.dedup.shingle-size", d.shingleSize()),
          (int) settings.integer("data.dedup.permutations", d.permutations()),
          (int) settings.integer("data.dedup.bands", d.bands()),
          settings.integer("data.dedup.seed", d.seed()),
          (int) settings.integer("data.dedup.examples", d.examples()));
    } catch (ConfigurationException e) {
      throw new ConfigurationException(settings.origin() + ": data.dedup: " + e.getMessage(), e);
    }
  }
}

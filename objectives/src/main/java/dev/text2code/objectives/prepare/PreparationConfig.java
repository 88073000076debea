package dev.text2code.objectives.prepare;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.objectives.packing.PackingOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link DataPreparer#prepare} writes, and what a resumed run must match.
 *
 * @param outputDirectory where shards and {@code manifest.json} go
 * @param seed the global seed; example {@code i} uses {@code ExampleSeeds.generator(seed, epoch,
 *     i)}
 * @param rowsPerShard rows in each shard file (the last shard may hold fewer)
 * @param tokenizerName and {@code tokenizerHash} identify the tokenizer ({@link
 *     TokenizerFingerprint})
 */
public record PreparationConfig(
    Path outputDirectory,
    long seed,
    long epoch,
    PackingOptions packing,
    int rowsPerShard,
    String tokenizerName,
    String tokenizerHash) {
  public PreparationConfig {
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(packing, "packing");
    Objects.requireNonNull(tokenizerName, "tokenizerName");
    Objects.requireNonNull(tokenizerHash, "tokenizerHash");
    ConfigurationException.require(epoch >= 0, "epoch", epoch, "a non-negative integer");
    ConfigurationException.require(
        rowsPerShard > 0, "rowsPerShard", rowsPerShard, "a positive integer");
  }

  /**
   * Reads {@code prepare.}{@code seed} (1234, the paper's), {@code epoch} (0), {@code row-length}
   * (1024), {@code rows-per-shard} (1024), {@code overflow} (drop | truncate, default drop) and
   * {@code pad-token} ({@code <pad>}).
   */
  public static PreparationConfig fromSettings(
      Settings settings, Path outputDirectory, Tokenizer tokenizer) {
    long rowLength = settings.integer("prepare.row-length", 1024);
    long rowsPerShard = settings.integer("prepare.rows-per-shard", 1024);
    if (rowLength < 1 || rowLength > 1 << 20) {
      throw new ConfigurationException(
          settings.origin()
              + ": prepare.row-length = "
              + rowLength
              + " is not valid; expected an integer in [1, 1048576]");
    }
    if (rowsPerShard < 1 || rowsPerShard * rowLength > 1 << 28) {
      throw new ConfigurationException(
          settings.origin()
              + ": prepare.rows-per-shard = "
              + rowsPerShard
              + " is not valid; expected a positive integer with rows-per-shard * row-length <= "
              + (1 << 28));
    }
    String overflow = settings.string("prepare.overflow", "drop").trim();
    PackingOptions.Overflow policy;
    if (overflow.equalsIgnoreCase("drop")) {
      policy = PackingOptions.Overflow.DROP;
    } else if (overflow.equalsIgnoreCase("truncate")) {
      policy = PackingOptions.Overflow.TRUNCATE;
    } else {
      throw new ConfigurationException(
          settings.origin()
              + ": prepare.overflow = "
              + overflow
              + " is not valid; expected drop or truncate");
    }
    int pad = tokenizer.specialTokenId(settings.string("prepare.pad-token", "<pad>").trim());
    return new PreparationConfig(
        outputDirectory,
        settings.integer("prepare.seed", 1234),
        settings.integer("prepare.epoch", 0),
        new PackingOptions((int) rowLength, pad, policy),
        (int) rowsPerShard,
        tokenizer.name(),
        TokenizerFingerprint.of(tokenizer));
  }
}

package dev.text2code.objectives.prepare;

import dev.text2code.api.ConfigurationException;
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
}

package dev.text2code.objectives.packing;

import dev.text2code.api.ConfigurationException;
import java.util.Objects;

/**
 * How rows are packed.
 *
 * @param rowLength positions per row (the paper: 1024)
 * @param padId the input id of padding positions (the paper's collator pads with {@code <unk>})
 * @param overflow what happens to an example longer than a row
 */
public record PackingOptions(int rowLength, int padId, Overflow overflow) {
  /** What to do with an example longer than {@code rowLength}. */
  public enum Overflow {
    /** Skip it and count it (the paper drops examples longer than 1024). */
    DROP,
    /** Keep its first {@code rowLength} positions. */
    TRUNCATE
  }

  public PackingOptions {
    ConfigurationException.require(rowLength > 0, "rowLength", rowLength, "a positive integer");
    ConfigurationException.require(padId >= 0, "padId", padId, "a non-negative token id");
    Objects.requireNonNull(overflow, "overflow");
  }
}

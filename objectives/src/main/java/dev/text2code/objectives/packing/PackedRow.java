package dev.text2code.objectives.packing;

import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;

/**
 * One packed row: several examples back to back, then padding (its own segment, no loss).
 *
 * @param examples how many examples the row holds (padding not counted)
 */
public record PackedRow(TrainingExample row, int examples) {
  public int length() {
    return row.length();
  }

  public AttentionSpec attention() {
    return row.attention();
  }
}

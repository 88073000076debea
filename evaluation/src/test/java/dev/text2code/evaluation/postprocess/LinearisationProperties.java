package dev.text2code.evaluation.postprocess;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearisationProperties {

  /** Python-like blocks: each line at most one level deeper than the previous one. */
  private static String code(List<Integer> steps, int base) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    int index = 0;
    for (int step : steps) {
      // the first line sets the base level; later ones go at most one level deeper
      depth = index == 0 ? 0 : Math.max(0, Math.min(depth + 1, depth + step));
      out.append("    ".repeat(base + depth)).append("x").append(index++).append(" = f(a, b)\n");
    }
    return out.toString();
  }

  @Test
  void delinearisingALinearisedBlockGivesItBack() {
    qt().forAll(
            lists().of(integers().between(-3, 1)).ofSizeBetween(1, 30), integers().between(0, 3))
        .check(
            (steps, base) -> {
              String original = code(steps, base);
              return Linearisation.delinearise(Linearisation.linearise(original), base)
                  .equals(original);
            });
  }
}

package dev.text2code.runs.ablation;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Separation;
import dev.text2code.api.Settings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The cells of an ablation: every objective with every separation, objectives outermost.
 *
 * @param objectives objective names (key {@code ablate.objectives}), at least one, no repeats
 * @param separations separations (key {@code ablate.separations}), at least one, no repeats
 */
public record AblationGrid(List<String> objectives, List<Separation> separations) {
  public AblationGrid {
    objectives = List.copyOf(objectives);
    separations = List.copyOf(separations);
    ConfigurationException.require(
        !objectives.isEmpty(), "ablate.objectives", objectives, "at least one objective");
    ConfigurationException.require(
        !separations.isEmpty(),
        "ablate.separations",
        separations,
        "at least one of none, partial, full");
    ConfigurationException.require(
        new LinkedHashSet<>(objectives).size() == objectives.size(),
        "ablate.objectives",
        objectives,
        "each objective once");
    ConfigurationException.require(
        new LinkedHashSet<>(separations).size() == separations.size(),
        "ablate.separations",
        separations,
        "each separation once");
  }

  /** One cell of the grid. */
  public record Cell(String objective, Separation separation) {
    public Cell {
      ConfigurationException.require(
          objective != null && objective.matches("[a-z0-9-]+"),
          "objective",
          objective,
          "an objective name (lower-case letters, digits, '-')");
      java.util.Objects.requireNonNull(separation, "separation");
    }

    /** The cell's directory name and label: {@code code-clm+partial}. */
    public String name() {
      return objective + "+" + separation.configName();
    }
  }

  /** The grid of {@code ablate.objectives} × {@code ablate.separations}. */
  public static AblationGrid fromSettings(Settings settings) {
    List<String> objectives = new ArrayList<>();
    for (String o : list(settings.string("ablate.objectives"))) {
      objectives.add(o.toLowerCase(Locale.ROOT));
    }
    List<Separation> separations = new ArrayList<>();
    for (String s : list(settings.string("ablate.separations"))) {
      try {
        separations.add(Separation.parse(s));
      } catch (RuntimeException e) {
        throw new ConfigurationException(
            "ablate.separations = "
                + settings.string("ablate.separations")
                + ": '"
                + s
                + "' is not a separation; expected a comma-separated list of none, partial, full",
            e);
      }
    }
    return new AblationGrid(objectives, separations);
  }

  private static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) out.add(part.trim());
    }
    return out;
  }

  /** Every cell, objectives outermost, in configuration order. */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (String o : objectives) {
      for (Separation s : separations) cells.add(new Cell(o, s));
    }
    return cells;
  }
}

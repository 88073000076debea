package dev.text2code.runs.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Separation;
import dev.text2code.api.Settings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AblationReportTest {
  private static CellResult cell(String objective, String separation, double loss, double pass1) {
    TreeMap<Integer, Double> pass = new TreeMap<>(Map.of(1, pass1));
    return new CellResult(
        objective + "+" + separation,
        objective,
        separation,
        10,
        loss,
        100,
        pass,
        pass,
        pass,
        List.of(new CellResult.ProblemOutcome("P/0", 1, pass1 > 0 ? 1 : 0)),
        List.of(new CellResult.CurvePoint(1, 5.0, null), new CellResult.CurvePoint(2, 4.0, 4.5)));
  }

  private static final AblationGrid GRID =
      new AblationGrid(List.of("clm", "code-clm"), List.of(Separation.NONE, Separation.FULL));

  @Test
  void theBestCellHasTheHighestPassAt1EvenWithAHigherLoss() {
    List<CellResult> cells =
        List.of(
            cell("clm", "none", 3.0, 0.0),
            cell("clm", "full", 4.0, 0.25),
            cell("code-clm", "none", 2.0, 0.0),
            cell("code-clm", "full", 5.0, 0.10));
    assertEquals("clm+full", AblationReport.best(cells).cell());
    assertEquals("clm+full", markedBest(new AblationReport(GRID, 10, cells).html()));
  }

  @Test
  void equalPassAt1IsDecidedByTheLowerHeldOutCodeLoss() {
    List<CellResult> cells =
        List.of(
            cell("clm", "none", 3.0, 0.0),
            cell("clm", "full", 4.0, 0.0),
            cell("code-clm", "none", 2.5, 0.0),
            cell("code-clm", "full", 2.75, 0.0));
    assertEquals("code-clm+none", AblationReport.best(cells).cell());
    String html = new AblationReport(GRID, 10, cells).html();
    assertEquals("code-clm+none", markedBest(html));
    assertEquals(1, html.split("class=\"best\"", -1).length - 1, "one best row");
    assertTrue(html.contains("<svg id=\"curves\""), "inline SVG curves");
  }

  private static String markedBest(String html) {
    Matcher m = Pattern.compile("<tr class=\"best\"><td class=\"name\">([^ <]+)").matcher(html);
    assertTrue(m.find(), html);
    return m.group(1);
  }

  @Test
  void theGridIsEveryObjectiveWithEverySeparationAndBadSeparationsNameTheKey() {
    Settings settings =
        settings(
            Map.of("ablate.objectives", "clm, code-clm", "ablate.separations", "none,partial"));
    assertEquals(
        List.of("clm+none", "clm+partial", "code-clm+none", "code-clm+partial"),
        AblationGrid.fromSettings(settings).cells().stream().map(AblationGrid.Cell::name).toList());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                AblationGrid.fromSettings(
                    settings(
                        Map.of("ablate.objectives", "clm", "ablate.separations", "none,half"))));
    assertTrue(e.getMessage().contains("ablate.separations"), e.getMessage());
    assertTrue(e.getMessage().contains("none, partial, full"), e.getMessage());
  }

  private static Settings settings(Map<String, String> values) {
    return key -> Optional.ofNullable(values.get(key));
  }
}

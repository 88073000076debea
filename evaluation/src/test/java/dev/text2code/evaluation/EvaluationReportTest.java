package dev.text2code.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.api.ConfigurationException;
import dev.text2code.evaluation.EvaluationReport.Entry;
import dev.text2code.evaluation.problems.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {
  private final EvaluationReport report =
      new EvaluationReport(
          "run <1>",
          List.of(
              new Entry("HumanEval", new TreeMap<>(java.util.Map.of(1, 0.25, 10, 0.5)), 164, 1640),
              new Entry("MBPP & co", new TreeMap<>(java.util.Map.of(1, 0.125)), 500, 500)));

  @Test
  void jsonSummaryListsEveryBenchmarkAndK(@TempDir Path dir) throws Exception {
    report.write(dir.resolve("r.json"), dir.resolve("r.html"));
    JsonNode json = JsonLines.mapper().readTree(Files.readString(dir.resolve("r.json")));
    assertEquals("run <1>", json.get("title").asText());
    assertEquals(0.5, json.get("benchmarks").get(0).get("pass_at_k").get("pass@10").asDouble());
    assertEquals(500, json.get("benchmarks").get(1).get("samples").asInt());
    assertFalse(json.get("benchmarks").get(1).get("pass_at_k").has("pass@10"));
  }

  @Test
  void htmlIsSelfContainedWithOneBarPerBenchmarkAndK() {
    String html = report.toHtml();
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("<svg"));
    assertFalse(html.contains("<script"), "no script");
    assertFalse(Pattern.compile("(src|href)=\"http").matcher(html).find(), "no external resource");
    // 3 values -> 3 bars (+2 legend swatches of height 12)
    assertEquals(3, Pattern.compile("<rect [^>]*><title>").matcher(html).results().count());
    assertTrue(html.contains("HumanEval pass@10 = 0.5000"));
    assertTrue(html.contains("MBPP &amp; co"), "names are escaped");
    assertTrue(html.contains("<td>12.50%</td>"));
  }

  @Test
  void rejectsValuesOutsideTheUnitInterval() {
    assertThrows(
        ConfigurationException.class,
        () -> new Entry("x", new TreeMap<>(java.util.Map.of(1, 1.5)), 1, 1));
  }
}

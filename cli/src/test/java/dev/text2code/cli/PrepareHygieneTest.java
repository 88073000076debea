package dev.text2code.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.data.report.DataReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdk-cli prepare} with deduplication and decontamination: what the report says. */
class PrepareHygieneTest {
  @TempDir Path dir;

  @Test
  void prepareRemovesDuplicatesAndLeakedSolutionsAndReportsThem() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String code =
          "def scale_"
              + i
              + "(values, factor):\n    result = []\n    for v in values:\n        result.append(v * factor + "
              + i
              + ")\n    return result\n";
      lines.add(
          json.writeValueAsString(Map.of("docstring", "Scale values " + i + ".", "code", code)));
      if (i % 10 == 0) {
        // An exact copy (other whitespace) of pair i.
        lines.add(
            json.writeValueAsString(
                Map.of(
                    "docstring", "Scale  values " + i + ". ", "code", code.replace("\n", "  \n"))));
      }
    }
    // A pair that is a benchmark's canonical solution.
    lines.add(
        json.writeValueAsString(
            Map.of(
                "docstring",
                "Count vowels.",
                "code",
                "def vowels(word):\n    return sum(1 for letter in word if letter in 'aeiou')\n")));
    Path corpus = dir.resolve("pairs.jsonl");
    Files.write(corpus, lines);
    Path benchmark = Path.of(PrepareHygieneTest.class.getResource("/toy-benchmark.jsonl").toURI());
    Path run = dir.resolve("run");
    SdkCliTest.Run r =
        SdkCliTest.run(
            Map.of(),
            "--set",
            "model.context=128",
            "--set",
            "data.dedup.mode=exact",
            "--set",
            "data.decontamination.benchmarks=" + benchmark,
            "prepare",
            "--corpus",
            corpus.toString(),
            "--run",
            run.toString());
    assertEquals(0, r.exitCode(), r.err());
    DataReport report = DataReport.read(run.resolve("prepared").resolve(DataReport.JSON_FILE));
    assertEquals(34, report.pairsRead());
    assertEquals(1, report.decontamination().pairsRemoved());
    assertEquals(List.of("Toy/0"), report.decontamination().benchmarks().get(0).taskIds());
    assertEquals(3, report.dedup().exactDuplicates());
    assertEquals(30, report.dedup().pairsKept());
    long examples = report.lengths().get("example-tokens").count();
    assertEquals(30, examples, "every kept pair became one example");
    long packed = report.splits().stream().mapToLong(DataReport.Split::examplesPacked).sum();
    assertEquals(30, packed);
    assertTrue(report.tokens().get("code") > report.tokens().get("text"));
    assertTrue(
        Files.readString(run.resolve("prepared").resolve(DataReport.HTML_FILE)).contains("<svg"));
  }
}

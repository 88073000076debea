package dev.text2code.data.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenSequence;
import dev.text2code.data.decontamination.DecontaminationSummary;
import dev.text2code.data.dedup.DedupOptions;
import dev.text2code.data.dedup.Deduplicator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReportTest {
  @TempDir Path dir;

  private static DataReport report() {
    DataReportBuilder builder = new DataReportBuilder();
    // 3 text + 5 code tokens, then 2 + 2.
    builder.example(TokenSequence.of(new int[8], new byte[] {0, 0, 0, 1, 1, 1, 1, 1}, 2));
    builder.example(TokenSequence.of(new int[4], new byte[] {0, 0, 1, 1}, 1));
    var dedup =
        Deduplicator.deduplicate(
                List.of(
                    TextCodePair.python("a<1>", "Sum.", "def f(x): return x + 1"),
                    TextCodePair.python("b", "Sum.", "def f(x): return x + 1   \r\n\n")),
                DedupOptions.defaults())
            .summary();
    var decontamination =
        new DecontaminationSummary(
            10,
            true,
            1,
            1,
            List.of(
                new DecontaminationSummary.Benchmark(
                    "humaneval",
                    164,
                    1,
                    List.of("HumanEval/7"),
                    List.of(new DecontaminationSummary.Hit("c", "HumanEval/7", "ngram")))));
    return builder.build(
        4,
        Map.of("not JSON", 2L),
        dedup,
        decontamination,
        Map.of(),
        List.of(DataReport.Split.of("train", 2, 16, 20, 2, 0, 0, 0)));
  }

  @Test
  void countsTokensPerModalityAndLengths() {
    DataReport r = report();
    assertEquals(Map.of("text", 5L, "code", 7L), r.tokens());
    Histogram.Summary examples = r.lengths().get("example-tokens");
    assertEquals(2, examples.count());
    assertEquals(12, examples.total());
    assertEquals(8, examples.max());
    // 4 is in [4, 7], 8 in [8, 15].
    assertEquals(1, examples.bins().get(3).count());
    assertEquals(4, examples.bins().get(3).from());
    assertEquals(1, examples.bins().get(4).count());
    assertEquals(20 / 32.0, r.splits().get(0).paddingFraction(), 1e-12);
    assertEquals(1, r.dedup().exactDuplicates());
  }

  @Test
  void writesJsonThatReadsBackAndAnHtmlPageWithPlots() throws Exception {
    DataReport r = report();
    r.write(dir);
    assertEquals(r, DataReport.read(dir.resolve(DataReport.JSON_FILE)));
    String html = Files.readString(dir.resolve(DataReport.HTML_FILE), StandardCharsets.UTF_8);
    assertEquals(3, html.split("<svg ", -1).length - 1, "one plot per histogram");
    assertTrue(html.contains("HumanEval/7"), "matching task ids are listed");
    assertTrue(html.contains("a&lt;1&gt;"), "ids are escaped");
    assertFalse(html.contains("a<1>"));
    assertTrue(html.contains("62.5%"), "padding fraction");
    assertFalse(Files.exists(dir.resolve(DataReport.JSON_FILE + ".tmp")));
  }
}

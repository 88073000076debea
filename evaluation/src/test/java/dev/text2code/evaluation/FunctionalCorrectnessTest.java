package dev.text2code.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.api.CodeExecutionException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.evaluation.io.ResultFile;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.JsonLines;
import dev.text2code.evaluation.problems.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** End to end on our own fixture: 3 problems x 3 samples. */
class FunctionalCorrectnessTest {
  @RegisterExtension
  static final SharedSandbox SANDBOX = new SharedSandbox(Duration.ofSeconds(5), 2);

  private static Map<String, Problem> problems;

  @BeforeAll
  static void load() {
    problems = HumanEval.load(TestData.fixture("tiny_problems.jsonl"));
  }

  private static Path copySamples(Path dir) throws Exception {
    Path samples = dir.resolve("samples.jsonl");
    Files.copy(TestData.fixture("tiny_samples.jsonl"), samples);
    return samples;
  }

  @Test
  void evaluatesFixtureAndWritesHumanEvalCompatibleResults(@TempDir Path dir) throws Exception {
    Path samples = copySamples(dir);
    EvaluationSummary summary =
        new FunctionalCorrectness(SANDBOX.executor())
            .evaluate(
                "tiny", problems, samples, UnaryOperator.identity(), List.of(1, 2, 3, 10), true);
    // per task (n, c): (3, 2), (3, 1), (3, 2)
    assertEquals(5.0 / 9, summary.passAtK().get(1), 1e-12);
    assertEquals(8.0 / 9, summary.passAtK().get(2), 1e-12);
    assertEquals(1.0, summary.passAtK().get(3), 1e-12);
    assertFalse(summary.passAtK().containsKey(10));
    List<String> lines = Files.readAllLines(FunctionalCorrectness.defaultResultsFile(samples));
    assertEquals(9, lines.size());
    JsonNode sixth = JsonLines.mapper().readTree(lines.get(5));
    assertEquals("Tiny/1", sixth.get("task_id").asText());
    assertEquals("timed out", sixth.get("result").asText());
    assertFalse(sixth.get("passed").asBoolean());
    JsonNode second = JsonLines.mapper().readTree(lines.get(1));
    assertTrue(second.get("result").asText().startsWith("failed: AssertionError"));
    assertFalse(
        Files.exists(ResultFile.journalOf(FunctionalCorrectness.defaultResultsFile(samples))));
  }

  @Test
  void resumesAKilledRunWithoutRerunningOrDuplicating(@TempDir Path dir) throws Exception {
    Path samples = copySamples(dir);
    Path resultsFile = FunctionalCorrectness.defaultResultsFile(samples);
    List<Sample> all = SampleFile.read(samples);
    // A killed run left results for samples 0 and 1 and half a line. Sample 1 is recorded as
    // "passed" although it fails: if it were run again the final file would say otherwise.
    String journal =
        "{\"task_id\":\"Tiny/0\",\"completion\":"
            + JsonLines.mapper().writeValueAsString(all.get(0).completion())
            + ",\"result\":\"passed\",\"passed\":true,\"sample_index\":0}\n"
            + "{\"task_id\":\"Tiny/0\",\"completion\":"
            + JsonLines.mapper().writeValueAsString(all.get(1).completion())
            + ",\"result\":\"passed\",\"passed\":true,\"sample_index\":1}\n"
            + "{\"task_id\":\"Tiny/0\",\"compl";
    Files.writeString(ResultFile.journalOf(resultsFile), journal, StandardCharsets.UTF_8);
    EvaluationSummary summary =
        new FunctionalCorrectness(SANDBOX.executor())
            .evaluate("tiny", problems, samples, UnaryOperator.identity(), List.of(1), true);
    List<String> lines = Files.readAllLines(resultsFile);
    assertEquals(9, lines.size(), "one line per sample, none lost or duplicated");
    assertTrue(JsonLines.mapper().readTree(lines.get(1)).get("passed").asBoolean(), "not re-run");
    assertEquals((3.0 / 3 + 1.0 / 3 + 2.0 / 3) / 3, summary.passAtK().get(1), 1e-12);
  }

  @Test
  void aJournalFromOtherSamplesIsRejected(@TempDir Path dir) throws Exception {
    Path samples = copySamples(dir);
    Path journal = ResultFile.journalOf(FunctionalCorrectness.defaultResultsFile(samples));
    Files.writeString(
        journal,
        "{\"task_id\":\"Tiny/0\",\"completion\":\"x\",\"result\":\"passed\",\"passed\":true,\"sample_index\":0}\n",
        StandardOpenOption.CREATE_NEW);
    var error =
        assertThrows(
            InvalidInputException.class,
            () ->
                new FunctionalCorrectness(SANDBOX.executor())
                    .evaluate(
                        "tiny", problems, samples, UnaryOperator.identity(), List.of(1), true));
    assertTrue(error.getMessage().contains("differs from the interrupted run"), error.getMessage());
  }

  @Test
  void unknownTaskAndMissingProblemsAreNamed(@TempDir Path dir) {
    var evaluation = new FunctionalCorrectness(SANDBOX.executor());
    var unknown =
        assertThrows(
            InvalidInputException.class,
            () ->
                evaluation.evaluate(
                    "tiny",
                    problems,
                    List.of(new Sample("Nope/1", "x")),
                    dir.resolve("r.jsonl"),
                    List.of(1),
                    false));
    assertTrue(unknown.getMessage().contains("\"Nope/1\" is not a problem of tiny"));
    var incomplete =
        assertThrows(
            InvalidInputException.class,
            () ->
                evaluation.evaluate(
                    "tiny",
                    problems,
                    List.of(new Sample("Tiny/0", "    return a+b\n")),
                    dir.resolve("r.jsonl"),
                    List.of(1),
                    true));
    assertTrue(incomplete.getMessage().contains("have no sample"), incomplete.getMessage());
  }

  @Test
  void missingLibraryIsReportedClearly(@TempDir Path dir) {
    Problem needsModule =
        new Problem(
            "Lib/0", "", "", "", "def check():\n    pass\n", "none", List.of("no_such_module_t2c"));
    var error =
        assertThrows(
            CodeExecutionException.class,
            () ->
                new FunctionalCorrectness(SANDBOX.executor())
                    .evaluate(
                        "Lib",
                        Map.of("Lib/0", needsModule),
                        List.of(new Sample("Lib/0", "")),
                        dir.resolve("r.jsonl"),
                        List.of(1),
                        true));
    assertTrue(
        error.getMessage().contains("cannot import 'no_such_module_t2c'"), error.getMessage());
  }
}

package dev.text2code.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.cli.SdkCli;
import dev.text2code.evaluation.io.ResultFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An evaluation killed with SIGKILL mid-way resumes with no result lost or duplicated. */
class KilledEvaluationResumesIT {
  @TempDir Path temp;

  @Test
  void aKilledEvaluationResumesWithEveryResultExactlyOnce() throws Exception {
    Path problems = temp.resolve("problems.jsonl");
    try (var in = SdkCli.class.getResourceAsStream("/dev/text2code/runs/starter-problems.jsonl")) {
      Files.copy(in, problems);
    }
    ObjectMapper json = new ObjectMapper();
    List<String> samples = new ArrayList<>();
    for (String line : Files.readAllLines(problems, StandardCharsets.UTF_8)) {
      JsonNode p = json.readTree(line);
      for (int copy = 0; copy < 25; copy++) {
        // every 5th sample sleeps a little so the run lasts long enough to be killed mid-way
        String completion =
            (copy % 5 == 0 ? "    import time; time.sleep(0.05)\n" : "")
                + p.get("canonical_solution").asText();
        samples.add(
            json.writeValueAsString(
                json.createObjectNode()
                    .put("task_id", p.get("task_id").asText())
                    .put("completion", completion)));
      }
    }
    Path sampleFile = temp.resolve("samples.jsonl");
    Files.write(sampleFile, samples, StandardCharsets.UTF_8);
    Path results = temp.resolve("samples.jsonl_results.jsonl");
    Path journal = ResultFile.journalOf(results);
    String[] args = {
      "--set",
      "evaluation.workers=1",
      "--set",
      "evaluation.benchmark=" + problems,
      "--set",
      "evaluation.k=1",
      "evaluate",
      "--samples",
      sampleFile.toString()
    };

    Process child = start(args);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (lines(journal) < 20) {
      assertTrue(child.isAlive(), "evaluation ended before it could be killed: " + log());
      assertTrue(System.nanoTime() < deadline, "no progress: " + log());
      Thread.sleep(20);
    }
    child.destroyForcibly();
    child.waitFor(30, TimeUnit.SECONDS);
    long done = lines(journal);
    assertTrue(done < samples.size(), "the child finished before it was killed");
    assertTrue(
        !Files.exists(results) || lines(results) == 0, "no final results file before the end");

    Process resumed = start(args);
    assertTrue(resumed.waitFor(3, TimeUnit.MINUTES), "resumed evaluation did not finish: " + log());
    assertEquals(0, resumed.exitValue(), log());
    List<String> finalLines = Files.readAllLines(results, StandardCharsets.UTF_8);
    assertEquals(samples.size(), finalLines.size(), "one result per sample");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < finalLines.size(); i++) {
      JsonNode r = json.readTree(finalLines.get(i));
      assertTrue(r.get("passed").asBoolean(), "sample " + i + ": " + r);
      assertTrue(seen.add(r.get("task_id").asText() + "|" + i));
      assertEquals(
          json.readTree(samples.get(i)).get("completion"), r.get("completion"), "order kept");
    }
    assertTrue(log().contains("pass@1 = 1.0000"), log());
  }

  private Process start(String[] args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SdkCli.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(temp.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(temp.resolve("child.log").toFile()))
        .start();
  }

  private String log() throws Exception {
    Path f = temp.resolve("child.log");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  private static long lines(Path file) throws Exception {
    if (!Files.exists(file)) return 0;
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(l -> l.endsWith("}"))
        .count();
  }
}

package dev.text2code.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.cli.SdkCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sdk-cli ablate} end to end on a 2 x 2 grid of a tiny model and a 10-pair corpus: the
 * report's cells, a run killed with SIGKILL after its first cell resuming only the unfinished cells
 * to the same numbers, and the refusal of {@code --init} while the training run cannot start from
 * weights.
 */
class AblationIT {
  private static final List<String> CELLS =
      List.of("clm+none", "clm+full", "prefix-code-clm+none", "prefix-code-clm+full");

  @TempDir Path temp;

  private String[] args(Path dir, String... more) throws Exception {
    Path corpus = temp.resolve("pairs10.jsonl");
    if (!Files.exists(corpus)) {
      try (var in = getClass().getResourceAsStream("/pairs.jsonl")) {
        List<String> lines =
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(10).toList();
        Files.write(corpus, lines);
      }
    }
    Path problems = temp.resolve("starter.jsonl");
    if (!Files.exists(problems)) {
      try (var in =
          SdkCli.class.getResourceAsStream("/dev/text2code/runs/starter-problems.jsonl")) {
        Files.copy(in, problems);
      }
    }
    List<String> all =
        new ArrayList<>(
            List.of(
                "--backend", "pytorch",
                "--set", "ablate.objectives=clm,prefix-code-clm",
                "--set", "ablate.separations=none,full",
                "--set", "ablate.max-steps=4",
                "--set", "ablate.max-pairs=0",
                "--set", "ablate.problems=3",
                "--set", "run.bpe-vocabulary=400",
                "--set", "model.layers=1",
                "--set", "model.heads=2",
                "--set", "model.width=16",
                "--set", "model.context=256",
                "--set", "training.batch-size=2",
                "--set", "training.warmup-steps=1",
                "--set", "training.eval-interval=2",
                "--set", "training.checkpoint-interval=2",
                "--set", "data.held-out-fraction=0.3",
                "--set", "generation.max-new-tokens=8",
                "--set", "evaluation.benchmark=" + problems));
    all.addAll(List.of(more));
    all.addAll(List.of("ablate", "--corpus", corpus.toString(), "--run", dir.toString()));
    return all.toArray(String[]::new);
  }

  @Test
  void aTinyGridEndsInAReportWithEveryCellAndResumesAfterAKillToTheSameNumbers() throws Exception {
    Path whole = temp.resolve("whole");
    Fixtures.Run run = Fixtures.cli(args(whole));
    assertEquals(0, run.exitCode(), run.err() + run.out());

    JsonNode report = new ObjectMapper().readTree(whole.resolve("ablation.json").toFile());
    List<String> names = new ArrayList<>();
    report.get("cells").forEach(c -> names.add(c.get("cell").asText()));
    assertEquals(CELLS, names);
    for (JsonNode c : report.get("cells")) {
      assertEquals(4, c.get("steps").asLong(), c.toString());
      assertTrue(c.get("heldOutCodeLoss").asDouble() > 0, c.toString());
      assertEquals(3, c.get("problems").size(), "one outcome per problem: " + c);
      assertEquals(4, c.get("curve").size(), "one curve point per step: " + c);
      assertTrue(c.get("passAtK").has("1"), c.toString());
      assertTrue(c.get("incrementalMacro").has("1"), c.toString());
    }
    // every cell is scored on the same held-out code tokens, whatever its objective's labels
    long tokens = report.get("cells").get(0).get("heldOutCodeTokens").asLong();
    assertTrue(tokens > 0);
    report.get("cells").forEach(c -> assertEquals(tokens, c.get("heldOutCodeTokens").asLong()));

    String html = Files.readString(whole.resolve("ablation.html"));
    Matcher best = Pattern.compile("<tr class=\"best\"><td class=\"name\">([^ <]+)").matcher(html);
    assertTrue(best.find(), html);
    assertEquals(report.get("best").asText(), best.group(1));
    assertFalse(best.find(), "exactly one best row");
    assertEquals(4, count(html, "<polyline "), "one loss curve per cell");
    for (String cell : CELLS) assertTrue(html.contains("<th>" + cell + "</th>"), cell);
    assertTrue(html.contains("<td class=\"name\">Starter/0</td>"), "the per-problem matrix");

    // a child JVM killed with SIGKILL once its first cell is finished
    Path killed = temp.resolve("killed");
    Path firstCell = killed.resolve("cells").resolve(CELLS.get(0)).resolve("cell.json");
    Process child = start(args(killed));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(firstCell)) {
      assertTrue(child.isAlive(), "child ended before its first cell: " + log());
      assertTrue(System.nanoTime() < deadline, "child made no progress: " + log());
      Thread.sleep(20);
    }
    child.destroyForcibly(); // SIGKILL on Linux
    child.waitFor(30, TimeUnit.SECONDS);
    assertFalse(
        Files.exists(killed.resolve("ablation.json")), "the child finished before it was killed");
    FileTime firstWritten = Files.getLastModifiedTime(firstCell);
    byte[] firstBytes = Files.readAllBytes(firstCell);

    Fixtures.Run resumed = Fixtures.cli(args(killed));
    assertEquals(0, resumed.exitCode(), resumed.err() + resumed.out());
    assertTrue(resumed.out().contains("cell 1/4 clm+none: finished earlier, kept"), resumed.out());
    assertFalse(resumed.out().contains("cell 1/4 clm+none: starting"), resumed.out());
    assertEquals(firstWritten, Files.getLastModifiedTime(firstCell), "cell 1 was not redone");
    assertEquals(new String(firstBytes), Files.readString(firstCell));
    assertEquals(
        Files.readString(whole.resolve("ablation.json")),
        Files.readString(killed.resolve("ablation.json")),
        "the resumed ablation reports the numbers of the uninterrupted one");
  }

  @Test
  void aMissingInitSourceIsRefusedBeforeAnyCellTrains() throws Exception {
    Path dir = temp.resolve("init");
    Fixtures.Run run = Fixtures.cli(args(dir, "--set", "training.init=/no/such/run"));
    assertEquals(SdkCli.EXIT_USAGE, run.exitCode(), run.out());
    assertTrue(run.err().contains("training.init = /no/such/run"), run.err());
    assertFalse(Files.exists(dir.resolve("cells")), "nothing was trained");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
    return n;
  }

  private Process start(String[] args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dai.djl.offline=true");
    command.add(SdkCli.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(temp.toFile())
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("child.log").toFile())
        .start();
  }

  private String log() throws Exception {
    Path f = temp.resolve("child.log");
    return Files.exists(f) ? Files.readString(f) : "";
  }
}

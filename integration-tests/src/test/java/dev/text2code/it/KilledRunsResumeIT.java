package dev.text2code.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training run killed with SIGKILL mid-way resumes and ends with the losses of an uninterrupted
 * run.
 */
class KilledRunsResumeIT {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"pytorch", "tensorflow"})
  void aKilledTrainingRunResumesToTheSameLosses(String backend) throws Exception {
    Path uninterrupted = temp.resolve("uninterrupted");
    ResumableTraining.run(uninterrupted, backend);

    Path killed = temp.resolve("killed");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-Dorg.bytedeco.javacpp.cachedir="
                    + System.getProperty("org.bytedeco.javacpp.cachedir", ""),
                ResumableTraining.class.getName(),
                killed.toString(),
                backend)
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("child-" + backend + ".log").toFile())
            .start();
    // Kill it once it has written a checkpoint and gone past it (mid-way between two checkpoints).
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (steps(killed.resolve("loss.csv")) < ResumableTraining.CHECKPOINT_INTERVAL + 2) {
      assertTrue(
          child.isAlive() || steps(killed.resolve("loss.csv")) >= 5,
          "child ended early: " + log(backend));
      assertTrue(System.nanoTime() < deadline, "child made no progress: " + log(backend));
      Thread.sleep(50);
    }
    child.destroyForcibly(); // SIGKILL on Linux
    child.waitFor(30, TimeUnit.SECONDS);
    long before = steps(killed.resolve("loss.csv"));
    assertTrue(before < ResumableTraining.STEPS, "the child finished before it was killed");

    ResumableTraining.run(killed, backend);
    List<String> expected = trainLosses(uninterrupted.resolve("loss.csv"));
    List<String> actual = trainLosses(killed.resolve("loss.csv"));
    assertEquals(ResumableTraining.STEPS, expected.size());
    assertEquals(expected, actual, "losses after resuming a run killed at step " + before);
  }

  private String log(String backend) throws Exception {
    Path f = temp.resolve("child-" + backend + ".log");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  private static long steps(Path lossLog) throws Exception {
    if (!Files.exists(lossLog)) return 0;
    return Files.readAllLines(lossLog, StandardCharsets.UTF_8).stream()
        .filter(l -> l.matches("\\d+,.*"))
        .count();
  }

  /** "step,train_loss" of each row: the columns that must match exactly. */
  private static List<String> trainLosses(Path lossLog) throws Exception {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(lossLog, StandardCharsets.UTF_8)) {
      if (!line.matches("\\d+,.*")) continue;
      String[] f = line.split(",", -1);
      rows.add(f[0] + "," + f[1] + "," + f[2]);
    }
    return rows;
  }
}

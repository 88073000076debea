package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.backend.ContractFixtures;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.StepResult;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.objective.TrainingExample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-engine check of the whole training step (loss, clipping, AdamW, schedule): the same
 * checkpoint and batch trained by PyTorch eager in Python (benchmarks/pytorch/gpt_peer.py, torch's
 * own AdamW) gives the same losses and gradient norms step after step. Skipped where Debian's
 * python3-torch is not installed.
 */
class PythonPeerParityIT {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("..", "benchmarks", "pytorch", "gpt_peer.py");

  @TempDir Path temp;

  @Test
  void pytorchEagerReproducesTheLossesOfTheBackend() throws Exception {
    assumeTrue(
        Files.isExecutable(PYTHON) && Files.isRegularFile(SCRIPT), "no python3 or peer script");
    Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").start();
    assumeTrue(
        probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "python3-torch is not installed");

    ModelSpec spec = ContractFixtures.tinySpec(ContractFixtures.VOCABULARY);
    TrainingConfig config = TrainingConfig.defaults(42, 4, 12);
    List<TrainingExample> batch = ContractFixtures.patternBatch(4, 16, 3);
    Path checkpoint = temp.resolve("start");
    List<StepResult> java = new ArrayList<>();
    try (var session =
        new PyTorchBackend().openTraining(spec, config, ContractFixtures.identityRouter())) {
      session.save(checkpoint);
      for (int i = 0; i < 12; i++) java.add(session.step(batch));
    }
    Path batchFile = temp.resolve("batch.json");
    Files.writeString(batchFile, json(Batch.of(batch, spec)), StandardCharsets.UTF_8);
    Process python =
        new ProcessBuilder(
                PYTHON.toString(),
                SCRIPT.toString(),
                "replay",
                checkpoint.toString(),
                batchFile.toString(),
                "12")
            .redirectErrorStream(true)
            .start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, python.waitFor(), output);
    String[] lines = output.strip().split("\n");
    assertEquals(12, lines.length, output);
    for (int i = 0; i < 12; i++) {
      String[] parts = lines[i].trim().split(" ");
      double loss = Double.parseDouble(parts[0]);
      double norm = Double.parseDouble(parts[1]);
      assertEquals(loss, java.get(i).loss(), 1e-4, "loss at step " + (i + 1) + "\n" + output);
      assertEquals(
          norm, java.get(i).gradientNorm(), 1e-3 * Math.max(1, norm), "norm at step " + (i + 1));
    }
  }

  private static String json(Batch b) throws IOException {
    StringBuilder s = new StringBuilder("{");
    s.append("\"inputIds\":").append(matrix(b.inputIds, b.rows, b.length)).append(',');
    s.append("\"positionIds\":").append(matrix(b.positionIds, b.rows, b.length)).append(',');
    long[] labels = new long[b.rows * b.length];
    java.util.Arrays.fill(labels, TrainingExample.IGNORE);
    for (int i = 0; i < b.labels.length; i++) labels[(int) b.labelledPositions[i]] = b.labels[i];
    s.append("\"labels\":").append(matrix(labels, b.rows, b.length)).append(',');
    s.append("\"attentionBias\":[");
    for (int r = 0; r < b.rows; r++) {
      s.append(r == 0 ? "[" : ",[");
      for (int q = 0; q < b.length; q++) {
        s.append(q == 0 ? "[" : ",[");
        for (int k = 0; k < b.length; k++) {
          s.append(k == 0 ? "" : ",")
              .append(b.attentionBias[(r * b.length + q) * b.length + k] == 0 ? "0" : "-1e9");
        }
        s.append(']');
      }
      s.append(']');
    }
    return s.append("]}").toString();
  }

  private static String matrix(long[] flat, int rows, int length) {
    StringBuilder s = new StringBuilder("[");
    for (int r = 0; r < rows; r++) {
      s.append(r == 0 ? "[" : ",[");
      for (int i = 0; i < length; i++) s.append(i == 0 ? "" : ",").append(flat[r * length + i]);
      s.append(']');
    }
    return s.append(']').toString();
  }
}

package dev.text2code.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.StepResult;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.internal.Json;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-framework parity: three optimizer steps from the same checkpoint on TensorFlow and on an
 * independent PyTorch-eager implementation (torch.optim.AdamW, src/test/resources/.../
 * torch_reference.py) give the same losses within 1e-4 and the same parameters within 1e-5. Needs a
 * Python with torch (Debian: python3-torch); skipped with a reason otherwise.
 */
class TorchParityIT {
  @TempDir Path temp;

  private static Optional<String> pythonWithTorch() {
    for (String python : List.of(System.getProperty("t2c.python", "python3"), "/usr/bin/python3")) {
      try {
        Process p =
            new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(python);
      } catch (Exception e) {
        // try the next candidate
      }
    }
    return Optional.empty();
  }

  private static TrainingConfig config() {
    return new TrainingConfig(
        11, 4, 1, 20, 3e-3, 1e-4, 2, 0.1, 0.9, 0.95, 1e-8, 0.05, 0, Device.CPU);
  }

  /** Causal, prefix and packed rows of one length, text then code targets (partial separation). */
  private static List<TrainingExample> batch() {
    SplittableRandom random = new SplittableRandom(8);
    int length = 12;
    return List.of(
        ForwardParityIT.example(length, AttentionSpec.causal(length), random),
        ForwardParityIT.example(length, AttentionSpec.causal(length), random),
        ForwardParityIT.example(length, AttentionSpec.prefix(length, 5), random),
        ForwardParityIT.example(
            length,
            AttentionSpec.segments(
                new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, new int[] {2, 0}),
            random));
  }

  @Test
  void threeStepsMatchPyTorchEager() throws Exception {
    Optional<String> python = pythonWithTorch();
    assumeTrue(python.isPresent(), "no python3 with torch (Debian package python3-torch)");
    int steps = 3;
    List<TrainingExample> batch = batch();
    Path checkpoint = temp.resolve("start");
    List<StepResult> results = new ArrayList<>();
    Map<String, Tensor> weights;
    try (TensorFlowTrainingSession session =
        (TensorFlowTrainingSession)
            new TensorFlowBackend()
                .openTraining(ForwardParityIT.SPEC, config(), ForwardParityIT.PARTIAL)) {
      session.save(checkpoint);
      for (int i = 0; i < steps; i++) results.add(session.step(batch));
      weights = session.weights();
    }

    Path batchFile = temp.resolve("batch.json");
    Files.writeString(batchFile, Json.write(batchJson(batch)), StandardCharsets.UTF_8);
    Path script = temp.resolve("torch_reference.py");
    try (InputStream in = getClass().getResourceAsStream("torch_reference.py")) {
      Files.write(script, in.readAllBytes());
    }
    Path out = temp.resolve("torch");
    Process process =
        new ProcessBuilder(
                python.get(),
                script.toString(),
                checkpoint.toString(),
                batchFile.toString(),
                Integer.toString(steps),
                out.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "torch reference timed out");
    assertEquals(0, process.exitValue(), log);

    @SuppressWarnings("unchecked")
    Map<String, Object> torch =
        (Map<String, Object>) Json.parse(Files.readString(Path.of(out + ".json")), out + ".json");
    List<?> losses = (List<?>) torch.get("losses");
    List<?> norms = (List<?>) torch.get("norms");
    double worstLoss = 0;
    for (int i = 0; i < steps; i++) {
      double loss = ((Number) losses.get(i)).doubleValue();
      worstLoss = Math.max(worstLoss, Math.abs(loss - results.get(i).loss()));
      double norm = ((Number) norms.get(i)).doubleValue();
      assertEquals(loss, results.get(i).loss(), 1e-4, "loss of step " + (i + 1));
      assertEquals(norm, results.get(i).gradientNorm(), 1e-4 * norm, "norm of step " + (i + 1));
    }
    ByteBuffer torchWeights =
        ByteBuffer.wrap(Files.readAllBytes(Path.of(out + ".bin"))).order(ByteOrder.LITTLE_ENDIAN);
    double worst = 0;
    String worstName = "";
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(ForwardParityIT.SPEC)) {
      float[] ours = weights.get(p.name()).data();
      for (float value : ours) {
        double difference = Math.abs(value - torchWeights.getFloat());
        if (difference > worst) {
          worst = difference;
          worstName = p.name();
        }
      }
    }
    assertEquals(0, torchWeights.remaining(), "torch wrote a different number of weights");
    System.out.printf(
        "TensorFlow vs torch %s over %d steps: loss difference <= %.2e, parameter difference <= %.2e"
            + " (%s)%n",
        torch.get("torch"), steps, worstLoss, worst, worstName);
    assertTrue(worst < 1e-5, "largest parameter difference " + worst + " in " + worstName);
  }

  private static Map<String, Object> batchJson(List<TrainingExample> batch) {
    List<Object> ids = new ArrayList<>();
    List<Object> positions = new ArrayList<>();
    List<Object> masks = new ArrayList<>();
    List<Object> labels = new ArrayList<>();
    List<Object> code = new ArrayList<>();
    for (TrainingExample e : batch) {
      ids.add(ints(e.inputIds()));
      positions.add(ints(e.positionIds()));
      labels.add(ints(e.labels()));
      List<Object> modality = new ArrayList<>();
      for (byte b : e.targetModalities()) modality.add((int) b);
      code.add(modality);
      List<Object> mask = new ArrayList<>();
      for (boolean[] row : e.attention().toDenseMask()) mask.add(flags(row));
      masks.add(mask);
    }
    List<Object> names = new ArrayList<>();
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(ForwardParityIT.SPEC)) {
      names.add(p.name());
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("inputIds", ids);
    json.put("positionIds", positions);
    json.put("mask", masks);
    json.put("labels", labels);
    json.put("isCode", code);
    json.put("codeRows", flags(ForwardParityIT.PARTIAL.codeVocabularyMask()));
    json.put("textRows", flags(ForwardParityIT.PARTIAL.textVocabularyMask()));
    json.put("names", names);
    return json;
  }

  private static List<Object> ints(int[] values) {
    List<Object> out = new ArrayList<>();
    for (int v : values) out.add(v);
    return out;
  }

  private static List<Object> flags(boolean[] values) {
    List<Object> out = new ArrayList<>();
    for (boolean v : values) out.add(v ? 1 : 0);
    return out;
  }
}

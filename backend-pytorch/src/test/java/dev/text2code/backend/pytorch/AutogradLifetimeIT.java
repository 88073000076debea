package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.objective.TrainingExample;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The training graph must not depend on memory the JVM may free before backward runs. DJL's {@code
 * div(Number)} backs the number with a Java direct buffer that it releases right after the forward
 * operation, while autograd keeps using it: once the collector had run and the freed memory was
 * reused, backward produced NaN gradients with a finite loss, at random (issue #5). Here the
 * collector runs and freed direct memory is refilled with NaN bit patterns between forward and
 * backward, on every attempt, so a graph that reads released memory fails reliably.
 */
class AutogradLifetimeIT {
  private static final int ROWS = 64;

  @Test
  void gradientsDoNotDependOnMemoryTheJvmMayFreeBeforeBackward() throws InterruptedException {
    ModelSpec spec = new ModelSpec(2, 2, 32, 64, ROWS, Separation.NONE, 0.1);
    TrainingConfig config =
        new TrainingConfig(5, 4, 1, 10, 1e-3, 1e-4, 0, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
    List<TrainingExample> examples = examples(4, 48);
    try (PyTorchTrainingSession session =
        PyTorchTrainingSession.open(
            spec, config, new MappedRouter(Separation.NONE, ROWS, ROWS, Map.of()))) {
      Batch part = Batch.of(examples, spec);
      Map<String, float[]> reference = gradients(session, part, false);
      for (int attempt = 0; attempt < 5; attempt++) {
        Map<String, float[]> afterCollection = gradients(session, part, true);
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
          float[] got = afterCollection.get(e.getKey());
          for (float g : got) {
            assertTrue(Float.isFinite(g), "attempt " + attempt + ": " + e.getKey() + " has " + g);
          }
          assertArrayEquals(e.getValue(), got, 0f, "attempt " + attempt + ": " + e.getKey());
        }
      }
      assertEquals(spec.parameterCount(), count(reference));
    }
  }

  /** Forward, optionally collect garbage and poison freed direct memory, backward, copy out. */
  private static Map<String, float[]> gradients(
      PyTorchTrainingSession session, Batch part, boolean collectBeforeBackward)
      throws InterruptedException {
    GptModel model = session.model();
    // the same dropout masks every time
    session.model().manager().getEngine().setRandomSeed(11);
    for (NDArray p : model.parameters().values()) {
      if (p.hasGradient())
        ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
    }
    try (NDScope scope = new NDScope();
        GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
      NDArray loss = session.scaledLoss(part, part.labelledCount());
      if (collectBeforeBackward) reuseFreedDirectMemory();
      collector.backward(loss);
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        out.put(e.getKey(), e.getValue().getGradient().toFloatArray());
      }
    }
    return out;
  }

  private static void reuseFreedDirectMemory() throws InterruptedException {
    System.gc();
    Thread.sleep(50); // the reference handler frees collected direct buffers
    List<ByteBuffer> poison = new ArrayList<>();
    for (int i = 0; i < 512; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(64);
      while (b.hasRemaining()) b.put((byte) 0xff); // 0xffffffff is a float NaN
      poison.add(b);
    }
    assertEquals(512, poison.size());
  }

  private static long count(Map<String, float[]> gradients) {
    long n = 0;
    for (float[] g : gradients.values()) n += g.length;
    return n;
  }

  private static List<TrainingExample> examples(int rows, int length) {
    SplittableRandom random = new SplittableRandom(3);
    List<TrainingExample> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int[] ids = new int[length];
      for (int i = 0; i < length; i++) ids[i] = random.nextInt(ROWS);
      int[] labels = new int[length];
      for (int i = 0; i < length; i++)
        labels[i] = i + 1 < length ? ids[i + 1] : TrainingExample.IGNORE;
      out.add(TrainingExample.causal(ids, labels, new byte[length]));
    }
    return out;
  }
}

package dev.text2code.backend.pytorch.bench;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.generation.DecodeBatch;
import dev.text2code.backend.pytorch.PyTorchStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Issue 15's generation benchmark for the PyTorch backend: a GPT-2-small-shaped model (12 layers,
 * width 768, 12 heads, 50257 rows, context 1024, GPT-2's architecture) with random weights, greedy
 * decoding of 256 new tokens after a 32-token prompt through {@link PyTorchStep} with its KV cache.
 * One batch size per JVM, so the printed peak RSS (VmHWM) is that run's. The peer is {@code
 * benchmarks/pytorch/hf_generate_peer.py} (Hugging Face transformers eager).
 *
 * <pre>
 * java -cp ... dev.text2code.backend.pytorch.bench.Gpt2SmallGenerationBench BATCH
 * </pre>
 */
public final class Gpt2SmallGenerationBench {
  static final int PROMPT = 32;
  static final int NEW_TOKENS = 256;

  private Gpt2SmallGenerationBench() {}

  public static void main(String[] args) throws Exception {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    ModelSpec spec =
        new ModelSpec(12, 12, 768, 1024, 50257, Separation.NONE, 0.0)
            .withArchitecture(Architecture.gpt2());
    IdentityRouter router = new IdentityRouter(spec.embeddingRows());
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, 1)) weights.put(t.name(), t);
    Checkpoint checkpoint =
        new Checkpoint(
            spec,
            MappedRouter.copyOf(router),
            weights,
            Map.of(),
            Optional.empty(),
            0,
            Map.of(),
            Map.of());
    weights = null;
    int[][] prompts = new int[batch][PROMPT];
    SplittableRandom random = new SplittableRandom(3);
    for (int[] p : prompts) for (int i = 0; i < PROMPT; i++) p[i] = random.nextInt(50257);
    try (PyTorchStep step = PyTorchStep.of(checkpoint, Device.CPU, true)) {
      checkpoint = null;
      System.gc();
      greedy(step, prompts, 8); // warm-up
      long start = System.nanoTime();
      greedy(step, prompts, NEW_TOKENS);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "pytorch batch %d: %d new tokens/row in %.2f s = %.1f tokens/s, peak RSS %s MB%n",
          batch, NEW_TOKENS, seconds, batch * NEW_TOKENS / seconds, peakRssMb());
    }
  }

  static void greedy(PyTorchStep step, int[][] prompts, int tokens) {
    int rows = step.spec().embeddingRows();
    try (DecodeBatch b = step.prefill(prompts, new int[prompts.length], PROMPT + tokens)) {
      for (int s = 0; s < tokens; s++) {
        float[] logits = b.logits();
        int[] next = new int[prompts.length];
        for (int r = 0; r < prompts.length; r++) {
          int best = 0;
          for (int v = 1; v < rows; v++) {
            if (logits[r * rows + v] > logits[r * rows + best]) best = v;
          }
          next[r] = best;
        }
        if (s + 1 < tokens) b.step(next);
      }
    }
  }

  static String peakRssMb() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return String.valueOf(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
      }
    }
    return "?";
  }
}

package dev.text2code.backend.pytorch;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.Placement;
import dev.text2code.api.backend.Precision;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.objective.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GPT-2-small-shape throughput on a GPU (benchmarks/gpu/run.sh): training tokens/s and model FLOP
 * utilisation (6 * parameters * tokens/s over the GPU's 16-bit peak), then greedy generation
 * tokens/s at batch 1 and 32 with the KV cache. Prints a table; asserts nothing.
 *
 * <p>Arguments: {@code precision steps batch sequence peakTflops [device] [dataParallel]
 * [newTokens]}, e.g. {@code fp16 20 8 1024 989 gpu 1 128} (989: H100 SXM / H200 dense fp16/bf16
 * peak).
 */
public final class GpuBench {
  private GpuBench() {}

  public static void main(String[] args) {
    Precision precision = Precision.parse("precision", args.length > 0 ? args[0] : "fp16");
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int sequence = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
    double peak = (args.length > 4 ? Double.parseDouble(args[4]) : 989) * 1e12;
    Placement placement = Placement.parse(args.length > 5 ? args[5] : "gpu");
    int replicas = args.length > 6 ? Integer.parseInt(args[6]) : 1;
    int rows = 50257;
    ModelSpec spec = new ModelSpec(12, 12, 768, sequence, rows, Separation.NONE, 0.0);
    MappedRouter router = MappedRouter.copyOf(new IdentityRouter(rows));
    TrainingConfig config =
        new TrainingConfig(
            1,
            batch,
            1,
            steps + 3,
            3e-4,
            3e-5,
            2,
            0.1,
            0.9,
            0.95,
            1e-8,
            1.0,
            0,
            placement.device(),
            placement.gpuIndex(),
            precision,
            replicas);
    SplittableRandom random = new SplittableRandom(7);
    List<TrainingExample> examples = new ArrayList<>();
    for (int r = 0; r < batch; r++) {
      int[] ids = new int[sequence + 1];
      for (int i = 0; i <= sequence; i++) ids[i] = random.nextInt(rows);
      int[] inputs = java.util.Arrays.copyOf(ids, sequence);
      int[] labels = java.util.Arrays.copyOfRange(ids, 1, sequence + 1);
      examples.add(TrainingExample.causal(inputs, labels, new byte[sequence]));
    }
    long parameters = spec.parameterCount();
    Checkpoint trained;
    System.out.printf(
        "GPT-2-small shape: %,d parameters, %s, batch %d x %d tokens, %d replica(s)%n",
        parameters, precision.key(), batch, sequence, replicas);
    try (PyTorchTrainingSession s = PyTorchTrainingSession.open(spec, config, router)) {
      for (int i = 0; i < 3; i++) s.step(examples); // warm-up: allocator, kernels
      long start = System.nanoTime();
      double loss = 0;
      for (int i = 0; i < steps; i++) loss = s.step(examples).loss();
      double seconds = (System.nanoTime() - start) / 1e9;
      double tokensPerSecond = (double) steps * batch * sequence / seconds;
      double mfu = 6.0 * parameters * tokensPerSecond / (peak * Math.max(1, replicas));
      System.out.printf("| measurement | value |%n|---|---|%n");
      System.out.printf("| training tokens/s | %.0f |%n", tokensPerSecond);
      System.out.printf(
          "| training MFU (6N tok/s / %.0f TFLOP/s) | %.1f%% |%n", peak / 1e12, 100 * mfu);
      System.out.printf("| last loss | %.4f |%n", loss);
      trained = s.toCheckpoint();
    }
    List<String> characters = new ArrayList<>();
    for (int i = 0; i < rows; i++) characters.add(String.valueOf((char) (0x100 + i)));
    CharTokenizer tokenizer = new CharTokenizer(characters);
    int newTokens = args.length > 7 ? Integer.parseInt(args[7]) : 128;
    for (int b : new int[] {1, 32}) {
      List<TokenSequence> prompts = new ArrayList<>();
      for (int p = 0; p < b; p++) {
        int[] prompt = new int[Math.max(1, Math.min(64, sequence - newTokens))];
        for (int i = 0; i < prompt.length; i++) prompt[i] = random.nextInt(rows);
        prompts.add(TokenSequence.uniform(prompt, Modality.CODE));
      }
      GenerationConfig greedy =
          new GenerationConfig(newTokens, false, 1.0, 0, 1.0, 1, List.of(), 0, false);
      try (var g =
          new dev.text2code.api.generation.GenerationLoop(
              PyTorchStep.of(trained, placement.device(), true))) {
        g.generate(prompts.subList(0, 1), greedy, tokenizer); // warm-up
        long start = System.nanoTime();
        var out = g.generate(prompts, greedy, tokenizer);
        double seconds = (System.nanoTime() - start) / 1e9;
        long tokens = 0;
        for (var c : out) tokens += c.get(0).tokenIds().length();
        System.out.printf(
            "| generation tokens/s, batch %d (pytorch, fp32, KV cache) | %.0f |%n",
            b, tokens / seconds);
      }
    }
  }
}

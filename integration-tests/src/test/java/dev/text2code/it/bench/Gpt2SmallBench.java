package dev.text2code.it.bench;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.backend.onnx.OnnxBackend;
import dev.text2code.backend.pytorch.PyTorchBackend;
import dev.text2code.backend.tensorflow.TensorFlowBackend;
import dev.text2code.models.hf.HuggingFaceImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Our side of the GPT-2-small benchmarks (issues 15 and 16 part 5); the peer is {@code
 * benchmarks/gpt2-small/hf_peer.py}, the driver {@code benchmarks/gpt2-small/run.sh}. One
 * measurement per JVM, so each printed peak RSS (VmHWM) is that measurement's.
 *
 * <pre>
 * import HF_DIR CHECKPOINT                   HuggingFaceImport.importTo: seconds, peak RSS
 * export CHECKPOINT                          the ONNX export the onnx backend generates from
 * generate BACKEND CHECKPOINT PROMPTS BATCH OUT
 *                                            greedy, 256 new tokens after the first BATCH prompts
 *                                            (32 ids each); writes the new ids, one row per line
 * train BACKEND BATCH STEPS                  forward + backward + AdamW, context 512, random init
 * sgemm THREADS [M K N]                      fp32 matmul through DJL's PyTorch engine (libtorch's
 *                                            intra-op threads), GFLOP/s
 * </pre>
 *
 * Prints tab-separated rows: side, measure, value, unit, peak RSS MB.
 */
public final class Gpt2SmallBench {
  static final int NEW_TOKENS = 256;
  static final int VOCAB = 50257;
  static final int TRAIN_CONTEXT = 512;

  private Gpt2SmallBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "import" -> {
        long start = System.nanoTime();
        HuggingFaceImport.importTo(Path.of(args[1]), Path.of(args[2]));
        row("ours", "import", (System.nanoTime() - start) / 1e9, "s");
      }
      case "export" -> {
        long start = System.nanoTime();
        OnnxBackend.exportedModel(Path.of(args[1]));
        row("onnx", "export", (System.nanoTime() - start) / 1e9, "s");
      }
      case "generate" -> generate(args[1], Path.of(args[2]), Path.of(args[3]), args[4], args[5]);
      case "train" -> train(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "sgemm" ->
          sgemm(
              Integer.parseInt(args[1]),
              args.length > 4
                  ? new int[] {
                    Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4])
                  }
                  : new int[] {2048, 2048, 2048});
      default -> {
        System.err.println("usage: import | export | generate | train | sgemm (see the javadoc)");
        System.exit(2);
      }
    }
  }

  static Backend backend(String name) {
    return switch (name) {
      case "pytorch" -> new PyTorchBackend();
      case "tensorflow" -> new TensorFlowBackend();
      case "onnx" -> new OnnxBackend();
      default ->
          throw new IllegalArgumentException(
              "backend " + name + "; expected pytorch, tensorflow, onnx");
    };
  }

  static void generate(String name, Path checkpoint, Path promptFile, String batchArg, String out)
      throws Exception {
    int batch = Integer.parseInt(batchArg);
    List<TokenSequence> prompts = new ArrayList<>();
    for (String line : Files.readAllLines(promptFile)) {
      if (line.isBlank() || prompts.size() == batch) continue;
      int[] ids =
          java.util.Arrays.stream(line.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
      prompts.add(TokenSequence.uniform(ids, Modality.CODE));
    }
    var tokenizer = new BackendBench.NumberTokenizer(VOCAB);
    try (Generator g = backend(name).openGenerator(checkpoint, Device.CPU)) {
      g.generate(prompts, greedy(8), tokenizer); // warm-up
      // -Dbench.profile=FILE (pytorch): libtorch's profiler over the timed run, a Chrome trace
      String profile = System.getProperty("bench.profile");
      if (profile != null) ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
      long start = System.nanoTime();
      List<List<Completion>> result = g.generate(prompts, greedy(NEW_TOKENS), tokenizer);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (profile != null) ai.djl.pytorch.jni.JniUtils.stopProfile(profile);
      StringBuilder text = new StringBuilder();
      long generated = 0;
      for (List<Completion> l : result) {
        var ids = l.get(0).tokenIds();
        generated += ids.length();
        for (int i = 0; i < ids.length(); i++) text.append(i == 0 ? "" : " ").append(ids.get(i));
        text.append('\n');
      }
      Files.writeString(Path.of(out), text);
      row(name, "generate batch " + batch, generated / seconds, "tokens/s");
    }
  }

  static GenerationConfig greedy(int tokens) {
    return new GenerationConfig(tokens, false, 1.0, 0, 1.0, 1, List.of(), 0, false);
  }

  static void train(String name, int batch, int steps) {
    ModelSpec spec =
        new ModelSpec(12, 12, 768, TRAIN_CONTEXT, VOCAB, Separation.NONE, 0.0, Architecture.gpt2());
    MappedRouter router = new MappedRouter(Separation.NONE, VOCAB, VOCAB, Map.of());
    SplittableRandom random = new SplittableRandom(7);
    List<TrainingExample> examples = new ArrayList<>();
    for (int r = 0; r < batch; r++) {
      int[] ids = new int[TRAIN_CONTEXT];
      for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(VOCAB);
      int[] labels = new int[TRAIN_CONTEXT];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i + 1 < labels.length ? ids[i + 1] : TrainingExample.IGNORE;
      }
      examples.add(TrainingExample.causal(ids, labels, new byte[TRAIN_CONTEXT]));
    }
    try (TrainingSession s =
        backend(name).openTraining(spec, TrainingConfig.defaults(1, batch, 1000), router)) {
      s.step(examples); // warm-up
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) s.step(examples);
      double seconds = (System.nanoTime() - start) / 1e9;
      row(
          name,
          "train batch " + batch + "x" + TRAIN_CONTEXT,
          (double) steps * batch * (TRAIN_CONTEXT - 1) / seconds,
          "tokens/s");
    }
  }

  /** {@code [M, K] @ [K, N]}, default 2048 each; GFLOP/s of the steady state. */
  static void sgemm(int threads, int[] mkn) {
    int mRows = mkn[0];
    int k = mkn[1];
    int n = mkn[2];
    try (ai.djl.ndarray.NDManager m =
        ai.djl.ndarray.NDManager.newBaseManager(
            ai.djl.Device.cpu(), dev.text2code.backend.pytorch.Devices.engine().getEngineName())) {
      ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
      ai.djl.ndarray.NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(mRows, k));
      ai.djl.ndarray.NDArray b = m.randomNormal(new ai.djl.ndarray.types.Shape(k, n));
      a.matMul(b).close();
      double flops = 2.0 * mRows * k * n;
      int reps = (int) Math.max(5, Math.min(2000, 5 * 2048.0 * 2048 * 2048 * 2 / flops / 4));
      long start = System.nanoTime();
      for (int i = 0; i < reps; i++) a.matMul(b).close();
      double seconds = (System.nanoTime() - start) / 1e9;
      String shape = mRows == k && k == n ? String.valueOf(n) : mRows + "x" + k + "x" + n;
      row("djl-t" + threads, "sgemm " + shape, flops * reps / seconds / 1e9, "GFLOP/s");
    }
  }

  static void row(String side, String measure, double value, String unit) throws RuntimeException {
    long peakMb = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:"))
          peakMb = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.out.printf(Locale.ROOT, "%s\t%s\t%.2f\t%s\t%d%n", side, measure, value, unit, peakMb);
    System.out.flush();
  }
}

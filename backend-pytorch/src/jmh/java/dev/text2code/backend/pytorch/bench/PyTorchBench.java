package dev.text2code.backend.pytorch.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.text2code.api.generation.GenerationLoop;
import dev.text2code.api.IdentityRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.backend.pytorch.Devices;
import dev.text2code.backend.pytorch.GptModel;
import dev.text2code.backend.pytorch.PyTorchBackend;
import dev.text2code.backend.pytorch.PyTorchStep;
import dev.text2code.backend.pytorch.PyTorchTrainingSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Training and generation throughput of the PyTorch backend, each scenario in its own JVM so that
 * the peak resident memory (VmHWM) belongs to that scenario alone. Prints a table.
 *
 * <pre>
 * java -cp ... dev.text2code.backend.pytorch.bench.PyTorchBench            all scenarios
 * java -cp ... dev.text2code.backend.pytorch.bench.PyTorchBench backend    one: backend | bare |
 *                                                                          kv | nokv
 * </pre>
 *
 * Model: 4 layers, 4 heads, width 128, context 512, 512 rows (~0.9 M parameters); training batch 8
 * x 128 tokens, 3 warm-up then 15 timed steps; generation: 1 prompt of 16 tokens, 256 new tokens,
 * greedy, timed over 4 generations.
 */
public final class PyTorchBench {
  static final ModelSpec SPEC = new ModelSpec(4, 4, 128, 512, 512, Separation.NONE, 0.0);
  static final int BATCH = 8;
  static final int LENGTH = 128;
  static final int WARMUP_STEPS = 3;
  static final int STEPS = Integer.getInteger("bench.steps", 15);
  static final int NEW_TOKENS = 256;
  /** Generations of NEW_TOKENS timed together, so that one scheduling hiccup does not decide. */
  static final int GENERATIONS = Integer.getInteger("bench.generations", 4);

  private PyTorchBench() {}

  /**
   * Wall and main-thread CPU time: the machine may be shared, and with one intra-op thread every
   * torch kernel runs on the calling thread, so CPU time measures the work without the waiting.
   */
  static final class Timer {
    private final long wall = System.nanoTime();
    private final long cpu = THREADS.getCurrentThreadCpuTime();

    String rate(double tokens) {
      double wallSeconds = (System.nanoTime() - wall) / 1e9;
      double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
      return fmt(tokens / wallSeconds) + " " + fmt(tokens / cpuSeconds);
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    if (args.length == 1) {
      String result = run(args[0]);
      System.out.println("RESULT " + result + " " + peakRssMb());
      return;
    }
    List<String[]> rows = new ArrayList<>();
    for (String scenario : List.of("backend", "bare", "kv", "nokv")) {
      rows.add(fork(scenario));
    }
    System.out.printf(
        "%n%-40s %14s %16s %12s%n",
        "scenario (threads=" + threads() + ")",
        "tokens/s wall",
        "tokens/s CPU-time",
        "peak RSS MB");
    for (String[] r : rows) System.out.printf("%-40s %14s %16s %12s%n", r[0], r[1], r[2], r[3]);
    for (int column = 1; column <= 2; column++) {
      String what = column == 1 ? "wall" : "CPU-time";
      double backend = Double.parseDouble(rows.get(0)[column]);
      double bare = Double.parseDouble(rows.get(1)[column]);
      double kv = Double.parseDouble(rows.get(2)[column]);
      double nokv = Double.parseDouble(rows.get(3)[column]);
      System.out.printf("%s: backend / bare DJL training = %.3f; KV / no cache = %.2fx%n", what, backend / bare, kv / nokv);
    }
  }

  private static String threads() {
    return System.getProperty("ai.djl.pytorch.num_threads", "default");
  }

  private static String[] fork(String scenario) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String key :
        List.of(
            "ai.djl.offline",
            "DJL_CACHE_DIR",
            "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads",
            "bench.steps",
            "bench.generations")) {
      String v = System.getProperty(key);
      if (v != null) command.add("-D" + key + "=" + v);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PyTorchBench.class.getName());
    command.add(scenario);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String result = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) result = line.substring(7);
        else System.err.println("[" + scenario + "] " + line);
      }
    }
    if (p.waitFor() != 0 || result == null) throw new IllegalStateException(scenario + " failed");
    return result.split(" ");
  }

  /** "name wallTokensPerSecond cpuTokensPerSecond" for one scenario. */
  static String run(String scenario) throws Exception {
    return switch (scenario) {
      case "backend" -> "train:backend(PyTorchTrainingSession) " + backendTraining();
      case "bare" -> "train:bare-DJL-loop " + bareTraining();
      case "kv" -> "generate-256:kv-cache " + generation(true);
      case "nokv" -> "generate-256:no-cache " + generation(false);
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    };
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }

  static List<TrainingExample> batch(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TrainingExample> out = new ArrayList<>();
    for (int r = 0; r < BATCH; r++) {
      int[] ids = new int[LENGTH + 1];
      for (int i = 0; i <= LENGTH; i++) ids[i] = random.nextInt(SPEC.embeddingRows());
      int[] inputs = java.util.Arrays.copyOf(ids, LENGTH);
      int[] labels = java.util.Arrays.copyOfRange(ids, 1, LENGTH + 1);
      byte[] modalities = new byte[LENGTH];
      java.util.Arrays.fill(modalities, Modality.CODE.code());
      out.add(TrainingExample.causal(inputs, labels, modalities));
    }
    return out;
  }

  static TrainingConfig config() {
    return new TrainingConfig(
        1, BATCH, 1, 1000, 1e-3, 1e-4, 0, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, Device.CPU);
  }

  static String backendTraining() {
    IdentityRouter router = new IdentityRouter(SPEC.embeddingRows());
    try (var session =
        (PyTorchTrainingSession) new PyTorchBackend().openTraining(SPEC, config(), router)) {
      for (int i = 0; i < WARMUP_STEPS; i++) session.step(batch(i));
      List<List<TrainingExample>> batches = new ArrayList<>();
      for (int i = 0; i < STEPS; i++) batches.add(batch(100 + i));
      Timer timer = new Timer();
      for (List<TrainingExample> b : batches) session.step(b);
      return timer.rate((double) STEPS * BATCH * LENGTH);
    }
  }

  /**
   * The same model and batch trained the plain DJL way: stock NDArray ops over the same weights,
   * plain cross-entropy over every position, GradientCollector, DJL's own AdamW optimizer; no
   * modality masks, clipping or norm.
   */
  static String bareTraining() {
    Engine engine = Devices.engine();
    try (NDManager manager = engine.newBaseManager(ai.djl.Device.cpu())) {
      Map<String, NDArray> p = new LinkedHashMap<>();
      IdentityRouter router = new IdentityRouter(SPEC.embeddingRows());
      for (Tensor t : ParameterLayout.initialize(SPEC, router, 1)) {
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        a.setRequiresGradient(true);
        p.put(t.name(), a);
      }
      Optimizer adamW =
          Optimizer.adamW()
              .optLearningRateTracker(Tracker.fixed(1e-3f))
              .optBeta2(0.95f)
              .optWeightDecays(0.01f)
              .build();
      float[] causal = new float[LENGTH * LENGTH];
      for (int q = 0; q < LENGTH; q++) for (int k = q + 1; k < LENGTH; k++) causal[q * LENGTH + k] = -1e9f;
      long[] positions = new long[BATCH * LENGTH];
      for (int i = 0; i < positions.length; i++) positions[i] = i % LENGTH;
      int total = WARMUP_STEPS + STEPS;
      Timer timer = null;
      for (int step = 0; step < total; step++) {
        if (step == WARMUP_STEPS) timer = new Timer();
        List<TrainingExample> b = batch(step < WARMUP_STEPS ? step : 100 + step - WARMUP_STEPS);
        long[] ids = new long[BATCH * LENGTH];
        long[] labels = new long[BATCH * LENGTH];
        for (int r = 0; r < BATCH; r++) {
          for (int i = 0; i < LENGTH; i++) {
            ids[r * LENGTH + i] = b.get(r).inputId(i);
            labels[r * LENGTH + i] = b.get(r).label(i);
          }
        }
        try (NDScope scope = new NDScope()) {
          try (GradientCollector collector = engine.newGradientCollector()) {
            NDArray x =
                p.get("wte")
                    .get(manager, new NDIndex("{}", manager.create(ids, new Shape(BATCH, LENGTH))))
                    .add(p.get("wpe").get(manager, new NDIndex("{}", manager.create(positions, new Shape(BATCH, LENGTH)))));
            NDArray mask = manager.create(causal, new Shape(1, 1, LENGTH, LENGTH));
            for (int layer = 0; layer < SPEC.layers(); layer++) {
              String n = "h." + layer + ".";
              NDArray a = ln(x, p, n + "ln_1");
              NDList qkv = a.matMul(p.get(n + "attn.c_attn.weight")).add(p.get(n + "attn.c_attn.bias")).split(3, 2);
              NDArray q = heads(qkv.get(0));
              NDArray k = heads(qkv.get(1));
              NDArray v = heads(qkv.get(2));
              NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(SPEC.headSize())).add(mask).softmax(-1);
              NDArray o = att.matMul(v).transpose(0, 2, 1, 3).reshape(BATCH, LENGTH, SPEC.width());
              x = x.add(o.matMul(p.get(n + "attn.c_proj.weight")).add(p.get(n + "attn.c_proj.bias")));
              NDArray m = Activation.gelu(ln(x, p, n + "ln_2").matMul(p.get(n + "mlp.c_fc.weight")).add(p.get(n + "mlp.c_fc.bias")));
              x = x.add(m.matMul(p.get(n + "mlp.c_proj.weight")).add(p.get(n + "mlp.c_proj.bias")));
            }
            NDArray logits = ln(x, p, "ln_f").reshape(-1, SPEC.width()).matMul(p.get("wte").transpose());
            NDArray loss =
                logits.logSoftmax(-1).gather(manager.create(labels, new Shape(BATCH * LENGTH, 1)), 1).mean().neg();
            collector.backward(loss);
          }
        }
        // outside the scope: DJL's optimizer keeps its moment arrays between steps
        for (Map.Entry<String, NDArray> e : p.entrySet()) {
          try (NDArray grad = e.getValue().getGradient()) {
            adamW.update(e.getKey(), e.getValue(), grad);
            grad.subi(grad);
          }
        }
      }
      return timer.rate((double) STEPS * BATCH * LENGTH);
    }
  }

  private static NDArray heads(NDArray x) {
    return x.reshape(BATCH, LENGTH, SPEC.heads(), SPEC.headSize()).transpose(0, 2, 1, 3);
  }

  private static NDArray ln(NDArray x, Map<String, NDArray> p, String name) {
    return LayerNorm.layerNorm(x, new Shape(SPEC.width()), p.get(name + ".weight"), p.get(name + ".bias"), 1e-5f)
        .singletonOrThrow();
  }

  static String generation(boolean kvCache) throws Exception {
    IdentityRouter router = new IdentityRouter(SPEC.embeddingRows());
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(SPEC, router, 3)) weights.put(t.name(), t);
    Checkpoint checkpoint =
        new Checkpoint(SPEC, new dev.text2code.api.MappedRouter(Separation.NONE, SPEC.embeddingRows(), SPEC.embeddingRows(), Map.of()),
            weights, Map.of(), java.util.Optional.empty(), 0, Map.of(), Map.of());
    int[] prompt = new int[16];
    for (int i = 0; i < prompt.length; i++) prompt[i] = 10 + i;
    TokenSequence sequence = TokenSequence.uniform(prompt, Modality.CODE);
    GenerationConfig config = GenerationConfig.greedy(NEW_TOKENS, List.of());
    Tokenizer tokenizer = new NumberTokenizer(SPEC.embeddingRows());
    try (GenerationLoop generator =
        new GenerationLoop(PyTorchStep.of(checkpoint, Device.CPU, kvCache))) {
      generator.generate(List.of(sequence), GenerationConfig.greedy(8, List.of()), tokenizer);
      Timer timer = new Timer();
      for (int i = 0; i < GENERATIONS; i++) {
        Completion c = generator.generate(List.of(sequence), config, tokenizer).get(0).get(0);
        if (c.tokenIds().length() != NEW_TOKENS) {
          throw new IllegalStateException("generated " + c.tokenIds().length() + " tokens");
        }
      }
      return timer.rate((double) GENERATIONS * NEW_TOKENS);
    }
  }

  /** Peak resident set of this JVM in MB, from /proc (Linux). */
  static String peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.valueOf(kb / 1024);
        }
      }
    } catch (Exception e) {
      return "n/a";
    }
    return "n/a";
  }

  /** Decodes ids as space-separated numbers; no special tokens, so nothing ends a sample early. */
  static final class NumberTokenizer implements Tokenizer {
    private final int size;

    NumberTokenizer(int size) {
      this.size = size;
    }

    @Override
    public String name() {
      return "bench:numbers";
    }

    @Override
    public TokenIds encode(String text) {
      String t = text.trim();
      if (t.isEmpty()) return TokenIds.empty();
      return TokenIds.of(java.util.Arrays.stream(t.split(" +")).mapToInt(Integer::parseInt).toArray());
    }

    @Override
    public String decode(TokenIds ids) {
      return decode(ids, false);
    }

    @Override
    public String decode(TokenIds ids, boolean skipSpecialTokens) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < ids.length(); i++) b.append(i == 0 ? "" : " ").append(ids.get(i));
      return b.toString();
    }

    @Override
    public int vocabularySize() {
      return size;
    }

    @Override
    public Map<String, Integer> specialTokens() {
      return Map.of();
    }

    @Override
    public String tokenOf(int id) {
      return String.valueOf(id);
    }

    @Override
    public OptionalInt idOf(String token) {
      try {
        int id = Integer.parseInt(token);
        return id >= 0 && id < size ? OptionalInt.of(id) : OptionalInt.empty();
      } catch (NumberFormatException e) {
        return OptionalInt.empty();
      }
    }

    @Override
    public Tokenizer withSpecialTokens(List<String> tokens) {
      throw new UnsupportedOperationException("the benchmark tokenizer has no special tokens");
    }
  }
}

package dev.text2code.it.bench;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.backend.TrainingSession;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * One run, one table: every backend through the SDK's own Backend API on the same ~1M-parameter
 * model and batch. Training tokens/s (PyTorch, TensorFlow) and generation tokens/s with the KV
 * cache at batch 1 and 8 (PyTorch, TensorFlow, ONNX Runtime), with the ratios the issues set goals
 * for.
 *
 * <p>Run: {@code ./mvnw -B -q -pl integration-tests -am test-compile -DskipTests} then {@code java
 * -cp ... dev.text2code.it.bench.BackendBench [trainSteps] [newTokens]} (see benchmarks/README.md).
 */
public final class BackendBench {
  private BackendBench() {}

  static final int VOCAB = 1024;

  /**
   * {@code BackendBench BACKEND TRAIN_STEPS NEW_TOKENS CHECKPOINT_DIR [LAYERS WIDTH]}: one backend
   * per process (libtorch, TensorFlow and ONNX Runtime each bring their own threading runtimes,
   * which do not share a process reliably). pytorch writes the checkpoint the others generate from.
   * Prints {@code backend<TAB>measure<TAB>tokens/s} rows.
   */
  public static void main(String[] args) throws Exception {
    String name = args[0];
    int trainSteps = Integer.parseInt(args[1]);
    int newTokens = Integer.parseInt(args[2]);
    Path checkpoint = Path.of(args[3]);
    MappedRouter router = new MappedRouter(Separation.NONE, VOCAB, VOCAB, Map.of());
    // optional: layers and width of a larger model (the first-call cost of a growing KV cache shows
    // with size)
    int layers = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    int width = args.length > 5 ? Integer.parseInt(args[5]) : 128;
    ModelSpec spec = new ModelSpec(layers, 4, width, 512, VOCAB, Separation.NONE, 0.0);
    Backend backend = Gpt2SmallBench.backend(name);
    if (!name.equals("onnx")) {
      List<TrainingExample> batch = batch(8, 128, 7);
      long tokensPerStep = 8L * 127;
      try (TrainingSession s =
          backend.openTraining(spec, TrainingConfig.defaults(1, 8, 1000), router)) {
        for (int i = 0; i < 3; i++) s.step(batch); // warm-up
        long start = System.nanoTime();
        for (int i = 0; i < trainSteps; i++) s.step(batch);
        double rate = tokensPerStep * trainSteps / ((System.nanoTime() - start) / 1e9);
        if (name.equals("pytorch")) s.save(checkpoint);
        row(name, "train 8x128", rate);
      }
    }
    Tokenizer tokenizer = new NumberTokenizer(VOCAB);
    try (Generator g = backend.openGenerator(checkpoint, Device.CPU)) {
      g.generate(
          prompts(1),
          new GenerationConfig(8, false, 1.0, 0, 1.0, 1, List.of(), 0, false),
          tokenizer);
      // the first long generation of a fresh generator, then the same again (steady state)
      // wall-clock tokens/s, and tokens per CPU-second of the process (steadier on a loaded
      // machine)
      double[] first = rate(g, prompts(8), newTokens, tokenizer);
      double[] steady = rate(g, prompts(8), newTokens, tokenizer);
      double[] single = rate(g, prompts(1), newTokens, tokenizer);
      row(name, "generate KV batch 8 first", first[0]);
      row(name, "generate KV batch 8", steady[0]);
      row(name, "generate KV batch 1", single[0]);
      row(name, "gen b8 first /cpu-s", first[1]);
      row(name, "gen b8 /cpu-s", steady[1]);
      row(name, "gen b1 /cpu-s", single[1]);
    }
  }

  private static List<TokenSequence> prompts(int batchSize) {
    List<TokenSequence> prompts = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int p = 0; p < batchSize; p++) {
      int[] ids = new int[32];
      for (int i = 0; i < ids.length; i++) ids[i] = 1 + random.nextInt(VOCAB - 1);
      prompts.add(TokenSequence.uniform(ids, Modality.CODE));
    }
    return prompts;
  }

  /** Tokens per wall-clock second and per CPU-second of the whole process. */
  private static double[] rate(
      Generator g, List<TokenSequence> prompts, int newTokens, Tokenizer tokenizer) {
    GenerationConfig greedy =
        new GenerationConfig(newTokens, false, 1.0, 0, 1.0, 1, List.of(), 0, false);
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    List<List<Completion>> out = g.generate(prompts, greedy, tokenizer);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
    long generated = 0;
    for (List<Completion> l : out) for (Completion c : l) generated += c.tokenIds().length();
    return new double[] {generated / seconds, generated / cpuSeconds};
  }

  private static void row(String backend, String measure, double tokensPerSecond) {
    System.out.printf(Locale.ROOT, "%s\t%s\t%.0f%n", backend, measure, tokensPerSecond);
  }

  static List<TrainingExample> batch(int rows, int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TrainingExample> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int[] ids = new int[length];
      for (int i = 0; i < length; i++) ids[i] = random.nextInt(VOCAB);
      int[] labels = new int[length];
      for (int i = 0; i < length; i++)
        labels[i] = i + 1 < length ? ids[i + 1] : TrainingExample.IGNORE;
      out.add(TrainingExample.causal(ids, labels, new byte[length]));
    }
    return out;
  }

  /** Token i is spelled "<i>", no end token: generation always runs the full length. */
  static final class NumberTokenizer implements Tokenizer {
    private final int vocabularySize;

    NumberTokenizer(int vocabularySize) {
      this.vocabularySize = vocabularySize;
    }

    @Override
    public String name() {
      return "bench:numbers";
    }

    @Override
    public TokenIds encode(String text) {
      throw new UnsupportedOperationException("the benchmark passes token ids");
    }

    @Override
    public String decode(TokenIds ids) {
      return decode(ids, false);
    }

    @Override
    public String decode(TokenIds ids, boolean skipSpecialTokens) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < ids.length(); i++) b.append('<').append(ids.get(i)).append('>');
      return b.toString();
    }

    @Override
    public int vocabularySize() {
      return vocabularySize;
    }

    @Override
    public Map<String, Integer> specialTokens() {
      return Map.of();
    }

    @Override
    public String tokenOf(int id) {
      return "<" + id + ">";
    }

    @Override
    public OptionalInt idOf(String token) {
      return OptionalInt.empty();
    }

    @Override
    public Tokenizer withSpecialTokens(List<String> tokens) {
      throw new UnsupportedOperationException();
    }
  }
}

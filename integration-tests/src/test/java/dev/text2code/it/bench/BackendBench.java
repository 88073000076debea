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
import dev.text2code.backend.onnx.OnnxBackend;
import dev.text2code.backend.pytorch.PyTorchBackend;
import dev.text2code.backend.tensorflow.TensorFlowBackend;
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
   * {@code BackendBench BACKEND TRAIN_STEPS NEW_TOKENS CHECKPOINT_DIR}: one backend per process
   * (libtorch, TensorFlow and ONNX Runtime each bring their own threading runtimes, which do not
   * share a process reliably). pytorch writes the checkpoint the others generate from. Prints
   * {@code backend<TAB>measure<TAB>tokens/s} rows.
   */
  public static void main(String[] args) throws Exception {
    String name = args[0];
    int trainSteps = Integer.parseInt(args[1]);
    int newTokens = Integer.parseInt(args[2]);
    Path checkpoint = Path.of(args[3]);
    MappedRouter router = new MappedRouter(Separation.NONE, VOCAB, VOCAB, Map.of());
    ModelSpec spec = new ModelSpec(4, 4, 128, 512, VOCAB, Separation.NONE, 0.0);
    Backend backend =
        switch (name) {
          case "pytorch" -> new PyTorchBackend();
          case "tensorflow" -> new TensorFlowBackend();
          case "onnx" -> new OnnxBackend();
          default ->
              throw new IllegalArgumentException(
                  "backend " + name + "; expected pytorch, tensorflow, onnx");
        };
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
    Tokenizer tokenizer = new NumberTokenizer();
    try (Generator g = backend.openGenerator(checkpoint, Device.CPU)) {
      g.generate(
          prompts(1),
          new GenerationConfig(8, false, 1.0, 0, 1.0, 1, List.of(), 0, false),
          tokenizer);
      // the first long generation of a fresh generator, then the same again (steady state)
      row(name, "generate KV batch 8 first", rate(g, prompts(8), newTokens, tokenizer));
      row(name, "generate KV batch 8", rate(g, prompts(8), newTokens, tokenizer));
      row(name, "generate KV batch 1", rate(g, prompts(1), newTokens, tokenizer));
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

  private static double rate(
      Generator g, List<TokenSequence> prompts, int newTokens, Tokenizer tokenizer) {
    GenerationConfig greedy =
        new GenerationConfig(newTokens, false, 1.0, 0, 1.0, 1, List.of(), 0, false);
    long start = System.nanoTime();
    List<List<Completion>> out = g.generate(prompts, greedy, tokenizer);
    double seconds = (System.nanoTime() - start) / 1e9;
    long generated = 0;
    for (List<Completion> l : out) for (Completion c : l) generated += c.tokenIds().length();
    return generated / seconds;
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
      return VOCAB;
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

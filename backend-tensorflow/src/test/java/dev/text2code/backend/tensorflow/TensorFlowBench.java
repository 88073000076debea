package dev.text2code.backend.tensorflow;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.objective.TrainingExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training and generation throughput of the TensorFlow backend on CPU, printed as a table. Run:
 *
 * <pre>
 * mvn -B -q -o -pl backend-tensorflow -am test-compile
 * java -Dorg.bytedeco.javacpp.cachedir=target/native-cache/javacpp \
 *   -cp backend-tensorflow/target/test-classes:backend-tensorflow/target/classes:CLASSPATH \
 *   dev.text2code.backend.tensorflow.TensorFlowBench [steps]
 * </pre>
 */
public final class TensorFlowBench {
  private TensorFlowBench() {}

  record Case(String name, ModelSpec spec, int batch, int length) {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<Case> cases =
        List.of(
            new Case("tiny (contract)", new ModelSpec(2, 2, 16, 32, 48, Separation.NONE, 0), 8, 32),
            new Case("~1M params", new ModelSpec(4, 4, 128, 128, 1024, Separation.NONE, 0), 8, 128),
            new Case(
                "~1M, dropout 0.1",
                new ModelSpec(4, 4, 128, 128, 1024, Separation.NONE, 0.1),
                8,
                128));
    System.out.printf(
        Locale.ROOT,
        "TensorFlow %s, %d CPUs available, %d timed steps after 3 warm-up steps%n%n",
        org.tensorflow.TensorFlow.version(),
        Runtime.getRuntime().availableProcessors(),
        steps);
    System.out.println(
        "| model | params | batch x len | train step ms | train tokens/s | fwd+bwd only ms |");
    System.out.println("|---|---|---|---|---|---|");
    for (Case c : cases) {
      List<TrainingExample> batch = batch(c.spec().embeddingRows(), c.batch(), c.length());
      TrainingConfig config = TrainingConfig.defaults(1, c.batch(), 1000);
      try (TensorFlowTrainingSession session =
          (TensorFlowTrainingSession)
              new TensorFlowBackend()
                  .openTraining(c.spec(), config, new IdentityRouter(c.spec().embeddingRows()))) {
        for (int i = 0; i < 3; i++) session.step(batch);
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) session.step(batch);
        double stepMs = (System.nanoTime() - start) / 1e6 / steps;
        for (int i = 0; i < 2; i++) session.gradients(batch);
        start = System.nanoTime();
        for (int i = 0; i < steps; i++) session.gradients(batch);
        double gradMs = (System.nanoTime() - start) / 1e6 / steps;
        double tokensPerSecond = c.batch() * c.length() / (stepMs / 1000);
        System.out.printf(
            Locale.ROOT,
            "| %s | %,d | %d x %d | %.1f | %,.0f | %.1f |%n",
            c.name(),
            c.spec().parameterCount(),
            c.batch(),
            c.length(),
            stepMs,
            tokensPerSecond,
            gradMs);
      }
    }
    generation();
  }

  private static void generation() throws Exception {
    ModelSpec spec = new ModelSpec(4, 4, 128, 512, 1024, Separation.NONE, 0);
    Path dir = Files.createTempDirectory("tf-bench").resolve("ckpt");
    try (TensorFlowTrainingSession session =
        (TensorFlowTrainingSession)
            new TensorFlowBackend()
                .openTraining(spec, TrainingConfig.defaults(1, 8, 10), new IdentityRouter(1024))) {
      session.save(dir);
    }
    CharTokenizer tokenizer =
        CharTokenizer.specialsThenCharacters(List.of("<eot>"), CharTokenizer.PRINTABLE_ASCII);
    System.out.println();
    System.out.println(
        "| generation (greedy, 4 layers x 128, prompts of 16-23) | prompts | new tokens each | ms |"
            + " tokens/s |");
    System.out.println("|---|---|---|---|---|");
    for (boolean cache : new boolean[] {true, false}) {
      try (Generator generator =
          new dev.text2code.api.generation.GenerationLoop(
              new TensorFlowStep(
                  dev.text2code.api.checkpoint.Checkpoint.read(dir), Device.CPU, cache))) {
        for (int prompts : new int[] {1, 8}) {
          List<TokenSequence> batch = new ArrayList<>();
          for (int p = 0; p < prompts; p++) {
            int[] ids = new int[16 + p];
            for (int i = 0; i < ids.length; i++) ids[i] = 1 + (i * 7 + p) % 90;
            batch.add(TokenSequence.uniform(ids, Modality.CODE));
          }
          // the bench tokenizer has no end token, so every sample runs to max-new-tokens
          GenerationConfig config = GenerationConfig.greedy(256, List.of());
          WideTokenizer wide = new WideTokenizer(tokenizer);
          generator.generate(batch, GenerationConfig.greedy(8, List.of()), wide);
          long start = System.nanoTime();
          List<List<Completion>> out = generator.generate(batch, config, wide);
          double ms = (System.nanoTime() - start) / 1e6;
          long tokens =
              out.stream().flatMap(List::stream).mapToLong(c -> c.tokenIds().length()).sum();
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %d | %.0f | %,.0f |%n",
              cache ? "KV cache" : "no cache (whole sequence every step)",
              prompts,
              tokens / prompts,
              ms,
              tokens / (ms / 1000));
        }
      }
    }
  }

  /** Decodes any row id (the benchmark model has 1024 rows), with no end token. */
  private record WideTokenizer(CharTokenizer chars) implements dev.text2code.api.Tokenizer {
    @Override
    public String name() {
      return "bench";
    }

    @Override
    public dev.text2code.api.TokenIds encode(String text) {
      return chars.encode(text);
    }

    @Override
    public String decode(dev.text2code.api.TokenIds ids) {
      return decode(ids, false);
    }

    @Override
    public String decode(dev.text2code.api.TokenIds ids, boolean skip) {
      StringBuilder out = new StringBuilder();
      for (int id : ids.toArray()) out.append((char) ('0' + id % 64));
      return out.toString();
    }

    @Override
    public int vocabularySize() {
      return 1024;
    }

    @Override
    public java.util.Map<String, Integer> specialTokens() {
      return java.util.Map.of();
    }

    @Override
    public String tokenOf(int id) {
      return String.valueOf((char) ('0' + id % 64));
    }

    @Override
    public java.util.OptionalInt idOf(String token) {
      return java.util.OptionalInt.empty();
    }

    @Override
    public dev.text2code.api.Tokenizer withSpecialTokens(List<String> tokens) {
      return this;
    }
  }

  private static List<TrainingExample> batch(int rows, int size, int length) {
    SplittableRandom random = new SplittableRandom(7);
    List<TrainingExample> out = new ArrayList<>();
    for (int r = 0; r < size; r++) {
      int[] ids = new int[length];
      int[] labels = new int[length];
      byte[] code = new byte[length];
      for (int t = 0; t < length; t++) {
        ids[t] = random.nextInt(rows);
        labels[t] = random.nextInt(rows);
        code[t] = 1;
      }
      out.add(TrainingExample.causal(ids, labels, code));
    }
    return out;
  }
}

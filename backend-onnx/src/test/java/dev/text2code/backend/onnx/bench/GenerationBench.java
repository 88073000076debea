package dev.text2code.backend.onnx.bench;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.generation.GenerationLoop;
import dev.text2code.backend.onnx.OnnxDecoder;
import dev.text2code.backend.onnx.OnnxExporter;
import dev.text2code.backend.onnx.OnnxStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Generation tokens/s of the ONNX backend with its key/value cache, at batch 1 and batch 8, on a
 * model of about 1M parameters (4 layers, 4 heads, width 128, 1024 rows, context 512), greedy, no
 * end token, so every row produces exactly {@code --tokens} new tokens after a {@code --prompt}
 * token prompt. Also measures the same decoding without the cache (the whole sequence re-run every
 * step) as a baseline. Prints a table.
 *
 * <p>Arguments: {@code --tokens N} (256), {@code --prompt N} (32), {@code --repeats N} (3), {@code
 * --threads N} (ONNX Runtime intra-op threads, 0 = its default), {@code --checkpoint DIR} (use this
 * checkpoint instead of a random one), {@code --write-checkpoint DIR} (save the benchmarked
 * checkpoint, for another backend), {@code --rows N} (embedding rows of the random model, 1024),
 * {@code --sample true} (the paper's sampling, T 0.95 and top-p 0.8, instead of greedy). {@link
 * #measure} runs the same protocol on any {@link Generator}.
 */
public final class GenerationBench {
  private GenerationBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put("--" + args[i].replaceFirst("^-+", ""), args[i + 1]);
    }
    int tokens = Integer.parseInt(options.getOrDefault("--tokens", "256"));
    int promptLength = Integer.parseInt(options.getOrDefault("--prompt", "32"));
    int repeats = Integer.parseInt(options.getOrDefault("--repeats", "3"));
    int threads = Integer.parseInt(options.getOrDefault("--threads", "0"));
    boolean sample = Boolean.parseBoolean(options.getOrDefault("--sample", "false"));
    Path work = Files.createTempDirectory("t2c-onnx-bench");
    Path onnx = work.resolve("model.onnx");
    try {
      run(options, tokens, promptLength, repeats, threads, sample, onnx);
    } finally {
      Files.deleteIfExists(onnx);
      Files.deleteIfExists(work);
    }
  }

  private static void run(
      Map<String, String> options,
      int tokens,
      int promptLength,
      int repeats,
      int threads,
      boolean sample,
      Path onnx)
      throws Exception {
    Checkpoint checkpoint =
        options.containsKey("--checkpoint")
            ? Checkpoint.read(Path.of(options.get("--checkpoint")))
            : randomCheckpoint(Integer.parseInt(options.getOrDefault("--rows", "1024")));
    if (options.containsKey("--write-checkpoint")) {
      // the same weights for another backend's run of measure(...)
      checkpoint.write(Path.of(options.get("--write-checkpoint")));
    }
    ModelSpec spec = checkpoint.spec();
    long t0 = System.nanoTime();
    OnnxExporter.export(checkpoint, "bench", onnx);
    double exportSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "model: %d layers, %d heads, width %d, %d rows, context %d = %,d parameters; export %.2f"
            + " s, %,d bytes%n",
        spec.layers(),
        spec.heads(),
        spec.width(),
        spec.embeddingRows(),
        spec.contextLength(),
        spec.parameterCount(),
        exportSeconds,
        Files.size(onnx));
    System.out.printf(
        "prompt %d tokens, %d new tokens per row, %s, best of %d; cores %d, ORT threads %s%n",
        promptLength,
        tokens,
        sample ? "sampling T 0.95 top-p 0.8" : "greedy",
        repeats,
        Runtime.getRuntime().availableProcessors(),
        threads == 0 ? "default" : Integer.toString(threads));
    Tokenizer tokenizer = new NumberTokenizer(checkpoint.router().vocabularySize());
    System.out.println();
    System.out.printf(
        "%-28s %6s %12s %14s %12s%n", "mode", "batch", "new tokens", "tokens/s", "ms/step");
    try (GenerationLoop generator =
        OnnxStep.generator(OnnxDecoder.open(onnx, Device.CPU, threads), 64)) {
      for (int batch : new int[] {1, 8}) {
        Measurement m = measure(generator, tokenizer, batch, tokens, promptLength, repeats, sample);
        System.out.printf(
            "%-28s %6d %12d %14.1f %12.2f%n",
            "onnxruntime, KV cache",
            batch,
            m.newTokens(),
            m.tokensPerSecond(),
            m.seconds() * 1000 / tokens);
      }
      for (int batch : new int[] {1, 8}) {
        int steps = Math.min(tokens, 64);
        double seconds =
            withoutCache(((OnnxStep) generator.step()).decoder(), batch, promptLength, steps);
        System.out.printf(
            "%-28s %6d %12d %14.1f %12.2f%n",
            "onnxruntime, no cache",
            batch,
            (long) batch * steps,
            batch * steps / seconds,
            seconds * 1000 / steps);
      }
    }
  }

  /**
   * One measurement: the best of {@code repeats} timed runs (after one warm-up) of greedy
   * generation of {@code tokens} new tokens for {@code batch} random prompts of {@code
   * promptLength} tokens, all code, code vocabulary only (greedy, or the paper's sampling). Works
   * with any backend's generator.
   */
  public static Measurement measure(
      Generator generator,
      Tokenizer tokenizer,
      int batch,
      int tokens,
      int promptLength,
      int repeats,
      boolean sample) {
    List<TokenSequence> prompts = prompts(batch, promptLength, tokenizer.vocabularySize());
    GenerationConfig config =
        sample
            ? GenerationConfig.paperSampling(tokens, 1, 42, List.of())
            : new GenerationConfig(tokens, false, 1, 0, 1, 1, List.of(), 0, true);
    generator.generate(prompts, config, tokenizer); // warm-up
    double best = Double.MAX_VALUE;
    long produced = 0;
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      List<List<Completion>> out = generator.generate(prompts, config, tokenizer);
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
      produced = out.stream().mapToLong(l -> l.get(0).tokenIds().length()).sum();
    }
    return new Measurement(batch, produced, best);
  }

  /** Generated tokens of all rows and the wall time of the best run. */
  public record Measurement(int batch, long newTokens, double seconds) {
    public double tokensPerSecond() {
      return newTokens / seconds;
    }
  }

  /** The same greedy loop re-running the whole sequence each step (first {@code steps} tokens). */
  private static double withoutCache(OnnxDecoder decoder, int batch, int promptLength, int steps) {
    int rows = decoder.info().spec().embeddingRows();
    SplittableRandom random = new SplittableRandom(5);
    int length = promptLength + steps;
    long[][] sequences = new long[batch][length];
    for (long[] s : sequences) {
      for (int i = 0; i < promptLength; i++)
        s[i] = random.nextInt(decoder.info().router().vocabularySize());
    }
    long start = System.nanoTime();
    for (int n = promptLength; n < length; n++) {
      long[] ids = new long[batch * n];
      long[] positions = new long[batch * n];
      boolean[] mask = new boolean[batch * n * n];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < n; t++) {
          ids[b * n + t] = sequences[b][t];
          positions[b * n + t] = t;
          for (int k = 0; k <= t; k++) mask[(b * n + t) * n + k] = true;
        }
      }
      float[] logits = decoder.forward(ids, positions, mask, batch, n, 1, true);
      for (int b = 0; b < batch; b++) {
        int best = 0;
        for (int r = 1; r < rows; r++) if (logits[b * rows + r] > logits[b * rows + best]) best = r;
        sequences[b][n] = best;
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static List<TokenSequence> prompts(int count, int length, int vocabulary) {
    SplittableRandom random = new SplittableRandom(17);
    List<TokenSequence> prompts = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      int[] ids = new int[length];
      for (int i = 0; i < length; i++) ids[i] = random.nextInt(vocabulary);
      prompts.add(TokenSequence.uniform(ids, Modality.CODE));
    }
    return prompts;
  }

  /** About 1M parameters, random weights from the canonical Java initialisation. */
  static Checkpoint randomCheckpoint(int rows) {
    ModelSpec spec = new ModelSpec(4, 4, 128, 512, rows, Separation.NONE, 0.0);
    MappedRouter router = new MappedRouter(Separation.NONE, rows, rows, Map.of());
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, 1)) weights.put(t.name(), t);
    return new Checkpoint(spec, router, weights, Map.of(), Optional.empty(), 0, Map.of(), Map.of());
  }

  /** Spells id {@code i} as {@code "t<i> "}; no special tokens, so no sample ends early. */
  public static final class NumberTokenizer implements Tokenizer {
    private final int size;

    public NumberTokenizer(int size) {
      this.size = size;
    }

    @Override
    public String name() {
      return "bench:numbers";
    }

    @Override
    public TokenIds encode(String text) {
      String[] parts = text.trim().split("\\s+");
      int[] ids = new int[parts.length];
      for (int i = 0; i < parts.length; i++) ids[i] = Integer.parseInt(parts[i].substring(1));
      return TokenIds.of(ids);
    }

    @Override
    public String decode(TokenIds ids) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < ids.length(); i++) out.append('t').append(ids.get(i)).append(' ');
      return out.toString();
    }

    @Override
    public String decode(TokenIds ids, boolean skipSpecialTokens) {
      return decode(ids);
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
      return "t" + id;
    }

    @Override
    public OptionalInt idOf(String token) {
      return token.startsWith("t")
          ? OptionalInt.of(Integer.parseInt(token.substring(1)))
          : OptionalInt.empty();
    }

    @Override
    public Tokenizer withSpecialTokens(List<String> tokens) {
      throw new UnsupportedOperationException("the benchmark tokenizer has no special tokens");
    }
  }
}

package dev.text2code.tokenizers;

import dev.text2code.tokenizers.bpe.BpeTrainer;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.text2code.tokenizers.hf.HuggingFaceTokenizer;
import dev.text2code.tokenizers.tiktoken.TiktokenTokenizer;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding throughput on real Python source (2 MB of the local standard library): the pure-Java
 * BPE encoder against the Hugging Face Rust encoder (through DJL) on the same tokenizer.json, one
 * thread and batched over two threads, with jtokkit p50k_base for reference. One op = the whole
 * corpus; MB/s = corpus MB / (seconds per op), printed at setup. Ids are checked equal first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class EncodeBenchmark {
  /** {@code qwen3} (shared data) or {@code trained16k} (trained here on the same corpus). */
  @Param({"qwen3", "trained16k"})
  public String tokenizer;

  private List<String> texts;
  private ByteLevelBpeTokenizer javaBpe;
  private HuggingFaceTokenizer rust;
  private TiktokenTokenizer p50k;
  private ForkJoinPool twoThreads;
  private Path temp;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    texts = corpus(2 << 20);
    long bytes = texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
    Path file;
    if (tokenizer.equals("qwen3")) {
      file = Path.of(System.getProperty("t2c.shared.data", "../shared/data"), "tokenizers/qwen3/tokenizer.json.gz");
    } else {
      temp = Files.createTempDirectory("t2c-bench");
      BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(16_000, List.of("<|endoftext|>")));
      file = trainer.write(trainer.train(texts), temp.resolve("tokenizer.json"));
    }
    javaBpe = ByteLevelBpeTokenizer.load(file);
    rust = HuggingFaceTokenizer.load(file);
    p50k = TiktokenTokenizer.open("p50k_base");
    twoThreads = new ForkJoinPool(2);
    long tokens = 0;
    for (String t : texts) {
      int[] a = javaBpe.encodeToArray(t);
      if (!Arrays.equals(a, rust.encode(t).toArray())) {
        throw new IllegalStateException("Java and Rust ids differ on the benchmark corpus");
      }
      tokens += a.length;
    }
    System.out.printf(
        "%ncorpus: %d files, %.3f MB (MB/s = %.3f / (ms per op / 1000)), %d %s tokens, ids identical%n",
        texts.size(), bytes / 1e6, bytes / 1e6, tokens, tokenizer);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    twoThreads.shutdown();
    if (temp != null) {
      try (Stream<Path> files = Files.walk(temp)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
  }

  static List<String> corpus(long bytes) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
            .start();
    Path stdlib = Path.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    p.waitFor();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(stdlib)) {
      files = walk.filter(f -> f.toString().endsWith(".py") && !f.toString().contains("site-packages")).sorted().toList();
    }
    List<String> texts = new ArrayList<>();
    long total = 0;
    for (Path f : files) {
      byte[] raw = Files.readAllBytes(f);
      try {
        texts.add(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString());
      } catch (CharacterCodingException e) {
        continue;
      }
      total += raw.length;
      if (total >= bytes) break;
    }
    return texts;
  }

  @Benchmark
  public void javaSingleThread(Blackhole bh) {
    for (String t : texts) bh.consume(javaBpe.encodeToArray(t));
  }

  @Benchmark
  public void rustSingleThread(Blackhole bh) {
    for (String t : texts) bh.consume(rust.encode(t));
  }

  @Benchmark
  public void javaBatchedTwoThreads(Blackhole bh) throws Exception {
    bh.consume(
        twoThreads.submit(() -> texts.parallelStream().map(javaBpe::encodeToArray).toList()).get());
  }

  @Benchmark
  public void rustBatched(Blackhole bh) {
    bh.consume(rust.encodeBatch(texts));
  }

  @Benchmark
  public void jtokkitP50kSingleThread(Blackhole bh) {
    for (String t : texts) bh.consume(p50k.encode(t));
  }
}

package dev.text2code.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.cli.SdkCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sdk-cli prepare --engine spark} end to end against {@code --engine jvm}: the same shards,
 * manifests and data report, byte for byte, for 1, 3 and 7 partitions with exact and near
 * deduplication and decontamination on, and for the same records given as Parquet. One local Spark
 * session serves the whole class (the engine joins it).
 */
class SparkPrepareIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  @TempDir static Path dir;
  private static Path corpus;
  private static Path benchmark;
  private static Map<String, byte[]> jvm;

  @BeforeAll
  static void setUp() throws IOException {
    spark = SparkEngine.session("local[2]");
    corpus = dir.resolve("pairs.jsonl");
    Files.write(corpus, corpusLines(), StandardCharsets.UTF_8);
    benchmark = dir.resolve("planted-benchmark.jsonl");
    try (var in = SparkPrepareIT.class.getResourceAsStream("/planted-benchmark.jsonl")) {
      Files.write(benchmark, in.readAllBytes());
    }
    Path run = dir.resolve("run-jvm");
    assertEquals(0, prepare(run, corpus, "jvm", 0).exit());
    jvm = outputs(run);
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  /**
   * 60 pairs: distinct functions, exact duplicates (whitespace changed), near duplicates (one
   * renamed identifier in a long body), a planted benchmark solution, a blank and a bad line.
   */
  static List<String> corpusLines() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      StringBuilder code = new StringBuilder("def f" + i + "(xs):\n    total = " + i + "\n");
      for (int k = 0; k < 12; k++) {
        code.append("    total = total * ").append(k + i % 5).append(" + len(xs)\n");
      }
      code.append("    return total\n");
      lines.add(pair("p" + i, "Compute value number " + i + " from xs.", code.toString()));
      if (i % 8 == 3) {
        lines.add(pair("exact" + i, "Compute  value number " + i + " from xs. ", code + "\n"));
      }
      if (i % 8 == 5) {
        lines.add(
            pair(
                "near" + i,
                "Another description " + i,
                code.toString().replace("return total", "return total + 0")));
      }
      if (i == 20) lines.add("");
      if (i == 30) lines.add("{\"text\": \"no code\"}");
    }
    lines.add(
        pair(
            "leak",
            "Running maximum of a list.",
            "def running_maximum(values):\n    best = None\n    out = []\n    for value in values:\n"
                + "        if best is None or value > best:\n            best = value\n"
                + "        out.append(best)\n    return out\n"));
    return lines;
  }

  private static String pair(String id, String text, String code) {
    try {
      return JSON.writeValueAsString(Map.of("id", id, "text", text, "code", code));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  record Result(int exit, String out, String err) {}

  static Result prepare(Path run, Path input, String engine, int partitions) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SdkCli.commandLine(Map.of());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit =
        cli.execute(
            "--set",
            "data.dedup.mode=near",
            "--set",
            "data.decontamination.benchmarks=" + benchmark,
            "--set",
            "data.held-out-fraction=0.2",
            "--set",
            "model.context=512",
            "--set",
            "data.rows-per-shard=3",
            "--set",
            "data.spark.partitions=" + partitions,
            "prepare",
            "--run",
            run.toString(),
            "--corpus",
            input.toString(),
            "--engine",
            engine);
    return new Result(exit, out.toString(), err.toString());
  }

  /** Every prepared file (shards, manifests, data report) by its path in the run directory. */
  static Map<String, byte[]> outputs(Path run) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    Path prepared = run.resolve("prepared");
    try (Stream<Path> all = Files.walk(prepared)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(prepared.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static void assertSameAsJvm(Path run) throws IOException {
    Map<String, byte[]> spark = outputs(run);
    assertEquals(jvm.keySet(), spark.keySet());
    for (String name : jvm.keySet()) {
      assertArrayEquals(jvm.get(name), spark.get(name), name + " differs from the jvm engine's");
    }
  }

  @Test
  void theJvmRunRemovesDuplicatesAndTheLeak() throws IOException {
    JsonNode report = JSON.readTree(jvm.get("data-report.json"));
    String text = report.toString();
    assertTrue(text.contains("\"leak\""), text);
    assertTrue(text.contains("Planted/0"), text);
    assertTrue(text.contains("exact"), text);
    assertTrue(text.contains("near"), text);
    assertTrue(jvm.keySet().stream().anyMatch(n -> n.endsWith(".npy")), jvm.keySet().toString());
  }

  @Test
  void onePartitionWritesTheJvmBytes() throws IOException {
    checkPartitions(1);
  }

  @Test
  void threePartitionsWriteTheJvmBytes() throws IOException {
    checkPartitions(3);
  }

  @Test
  void sevenPartitionsWriteTheJvmBytes() throws IOException {
    checkPartitions(7);
  }

  private void checkPartitions(int partitions) throws IOException {
    Path run = dir.resolve("run-spark-" + partitions);
    Result r = prepare(run, corpus, "spark", partitions);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("in " + partitions + " partitions"), r.out());
    assertSameAsJvm(run);
  }

  @Test
  void parquetGivesTheSameShards() throws IOException {
    Path parquet = dir.resolve("pairs-parquet");
    spark
        .read()
        .json(corpus.toString())
        .where("code is not null")
        .coalesce(1)
        .write()
        .parquet(parquet.toString());
    Path run = dir.resolve("run-parquet");
    Result r = prepare(run, parquet, "spark", 3);
    assertEquals(0, r.exit(), r.err());
    Map<String, byte[]> out = outputs(run);
    for (String name : jvm.keySet()) {
      if (name.equals("data-report.json") || name.equals("data-report.html")) continue;
      assertArrayEquals(jvm.get(name), out.get(name), name + " differs from the jvm engine's");
    }
  }

  @Test
  void theJvmEngineRefusesParquetNamingTheSparkEngine() {
    Path parquet = dir.resolve("refused.parquet");
    spark.read().json(corpus.toString()).coalesce(1).write().parquet(parquet.toString());
    Result r = prepare(dir.resolve("run-refused"), parquet, "jvm", 0);
    assertEquals(2, r.exit(), r.out());
    assertTrue(r.err().contains("--engine spark"), r.err());
  }
}

package dev.text2code.it;

import static dev.text2code.it.Fixtures.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.cli.SdkCli;
import dev.text2code.it.Fixtures.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sdk-cli import}, {@code info --model}, {@code logits} and {@code export --to huggingface}
 * end to end on the tiny Hugging Face fixtures (models/src/test/resources/hf-tiny, written by the
 * real transformers 4.36.2) and on a run the SDK trains.
 */
class CliModelsIT {
  /** The fixtures of the models module, in this repository. */
  static final Path HF_TINY = Path.of("../models/src/test/resources/hf-tiny");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  /** A copy of a fixture, with a 300-id byte-level BPE tokenizer.json beside its weights. */
  private Path fixtureWithTokenizer(String name) throws Exception {
    Path source = HF_TINY.resolve(name);
    assumeTrue(Files.isDirectory(source), "fixture " + source + " is absent");
    Path copy = temp.resolve("hf-" + name);
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
    }
    Fixtures.tokenizer(copy);
    return copy;
  }

  private static String ids(JsonNode rows) {
    List<String> sequences = new ArrayList<>();
    for (JsonNode row : rows) {
      List<String> ids = new ArrayList<>();
      row.forEach(id -> ids.add(id.asText()));
      sequences.add(String.join(",", ids));
    }
    return String.join(";", sequences);
  }

  private static String positions(JsonNode positions) {
    List<String> out = new ArrayList<>();
    positions.forEach(p -> out.add(p.asText()));
    return String.join(",", out);
  }

  /** The largest difference between two {@code logits} arrays of one shape. */
  private static double maxDifference(JsonNode expected, JsonNode actual) {
    assertEquals(expected.size(), actual.size());
    double max = 0;
    for (int s = 0; s < expected.size(); s++) {
      assertEquals(expected.get(s).size(), actual.get(s).size());
      for (int p = 0; p < expected.get(s).size(); p++) {
        JsonNode e = expected.get(s).get(p);
        JsonNode a = actual.get(s).get(p);
        assertEquals(e.size(), a.size(), "logits per position");
        for (int v = 0; v < e.size(); v++) {
          max = Math.max(max, Math.abs(e.get(v).asDouble() - a.get(v).asDouble()));
        }
      }
    }
    return max;
  }

  @Test
  void anImportedGpt2RunGivesTheTransformersLogitsAndExportsBack() throws Exception {
    Path model = fixtureWithTokenizer("gpt2");
    JsonNode reference = JSON.readTree(model.resolve("reference.json").toFile());

    Run info = cli("info", "--model", model.toString());
    assertEquals(0, info.exitCode(), info.err());
    assertTrue(info.out().contains("family: gpt2 (GPT2LMHeadModel)"), info.out());
    assertTrue(info.out().contains("3 layers, width 48, 4 heads"), info.out());
    assertTrue(info.out().contains("parameters: 112560"), info.out());
    assertTrue(info.out().contains("dtype: F32"), info.out());
    assertTrue(info.out().contains("tokenizer: " + model.resolve("tokenizer.json")), info.out());

    Path run = temp.resolve("run-gpt2");
    Run imported = cli("import", "--from", model.toString(), "--run", run.toString());
    assertEquals(0, imported.exitCode(), imported.err());
    assertTrue(Files.isRegularFile(run.resolve("checkpoint/model.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("tokenizer.json")));
    String conf = Files.readString(run.resolve("run.conf"));
    assertTrue(conf.contains("separation=none"), conf);
    assertTrue(conf.contains("tokenizer=huggingface"), conf);
    assertTrue(conf.contains(run.resolve("tokenizer.json").toAbsolutePath().toString()), conf);

    String ids = ids(reference.get("input_ids"));
    String at = positions(reference.get("logit_positions"));
    Run logits = logits(run.toString(), ids, at, "reference");
    assertEquals(0, logits.exitCode(), logits.err());
    JsonNode answer = JSON.readTree(logits.out());
    assertEquals(List.of("input_ids", "logit_positions", "logits"), fieldNames(answer));
    assertEquals(reference.get("input_ids"), answer.get("input_ids"));
    assertEquals(reference.get("logit_positions"), answer.get("logit_positions"));
    double reference1e4 = maxDifference(reference.get("logits"), answer.get("logits"));
    assertTrue(reference1e4 < 1e-4, "reference forward vs transformers: " + reference1e4);

    // The configured backend: the same logits once it runs the gpt2 architecture (GELU tanh);
    // until then it refuses by name and points at the reference forward.
    Run backend = cli("logits", "--run", run.toString(), "--ids", ids, "--positions", at);
    if (backend.exitCode() == 0) {
      double d = maxDifference(reference.get("logits"), JSON.readTree(backend.out()).get("logits"));
      assertTrue(d < 1e-4, "pytorch vs transformers: " + d);
    } else {
      assertTrue(backend.err().contains("ReferenceForward"), backend.err());
    }

    Path exported = temp.resolve("exported");
    Run export =
        cli(
            "export",
            "--to",
            "huggingface",
            "--run",
            run.toString(),
            "--output",
            exported.toString());
    assertEquals(0, export.exitCode(), export.err());
    assertArrayEquals(
        Files.readAllBytes(model.resolve("tokenizer.json")),
        Files.readAllBytes(exported.resolve("tokenizer.json")));
    Path again = temp.resolve("run-again");
    assertEquals(
        0, cli("import", "--from", exported.toString(), "--run", again.toString()).exitCode());
    Run logitsAgain = logits(again.toString(), ids, at, "reference");
    assertEquals(logits.out(), logitsAgain.out(), "import -> export -> import changes the logits");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void aTrainedRunsBackendLogitsMatchTheReferenceAndItsExportImportsAsAWorkingRun()
      throws Exception {
    Path tokenizer = temp.resolve("tokenizer.json");
    Fixtures.tokenizer(temp);
    Path pairs = temp.resolve("pairs.jsonl");
    try (var in = getClass().getResourceAsStream("/pairs.jsonl")) {
      Files.copy(in, pairs);
    }
    Path run = temp.resolve("run-trained");
    String[] tiny = {
      "--tokenizer", "bpe",
      "--set", "tokenizers.file=" + tokenizer,
      "--set", "separation=none",
      "--set", "model.layers=1",
      "--set", "model.heads=2",
      "--set", "model.width=16",
      "--set", "model.context=64",
      "--set", "training.max-steps=2",
      "--set", "training.batch-size=2",
      "--set", "training.warmup-steps=1",
      "--set", "training.eval-interval=0",
      "--set", "generation.max-new-tokens=4",
    };
    Run trained = cli(concat(tiny, "train", "--run", run.toString(), "--corpus", pairs.toString()));
    assertEquals(0, trained.exitCode(), trained.err() + trained.out());

    String ids = "5,17,260,3,99,41;7,7,300,2,150,64";
    Run reference = logits(run.toString(), ids, "0,3,5", "reference");
    assertEquals(0, reference.exitCode(), reference.err());
    for (String backend : new String[] {"pytorch", "tensorflow", "onnx"}) {
      Run r = logits(run.toString(), ids, "0,3,5", backend);
      assertEquals(0, r.exitCode(), backend + ": " + r.err());
      double d =
          maxDifference(
              JSON.readTree(reference.out()).get("logits"), JSON.readTree(r.out()).get("logits"));
      assertTrue(d < 1e-4, backend + " vs the reference forward: " + d);
    }

    Path hf = temp.resolve("trained-hf");
    Run export =
        cli("export", "--to", "huggingface", "--run", run.toString(), "--output", hf.toString());
    assertEquals(0, export.exitCode(), export.err());
    assertTrue(Files.isRegularFile(hf.resolve("config.json")));
    assertArrayEquals(
        Files.readAllBytes(tokenizer), Files.readAllBytes(hf.resolve("tokenizer.json")));

    Path imported = temp.resolve("run-imported");
    Run in = cli("import", "--from", hf.toString(), "--run", imported.toString());
    assertEquals(0, in.exitCode(), in.err());
    Run same = cli("logits", "--run", imported.toString(), "--ids", ids, "--positions", "0,3,5");
    assertEquals(0, same.exitCode(), same.err());
    double d =
        maxDifference(
            JSON.readTree(reference.out()).get("logits"), JSON.readTree(same.out()).get("logits"));
    assertTrue(d < 1e-4, "the re-imported model's logits moved by " + d);

    // The imported run works with no flags beyond --run: its run.conf names shape and tokenizer.
    Run completed =
        cli(
            "complete",
            "--run",
            imported.toString(),
            "--code",
            "def add(a, b):",
            "Return the sum of a and b.");
    assertEquals(0, completed.exitCode(), completed.err());
    assertTrue(completed.out().startsWith("def add(a, b):"), completed.out());
    Run onnx = cli("export", "--to", "onnx", "--run", imported.toString());
    assertEquals(0, onnx.exitCode(), onnx.err());
    assertTrue(Files.isRegularFile(imported.resolve("checkpoint/model.onnx")));
  }

  @Test
  void badModelsAndBadRequestsAreOneLineWithExitCode2() throws Exception {
    Path model = fixtureWithTokenizer("gpt2");
    Path run = temp.resolve("run");
    assertEquals(0, cli("import", "--from", model.toString(), "--run", run.toString()).exitCode());

    Path truncated = temp.resolve("truncated");
    Files.createDirectories(truncated);
    Files.copy(model.resolve("config.json"), truncated.resolve("config.json"));
    byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
    Files.write(
        truncated.resolve("model.safetensors"),
        java.util.Arrays.copyOf(weights, weights.length / 2));
    Run r = cli("import", "--from", truncated.toString(), "--run", temp.resolve("t").toString());
    assertUsageError(r, "model.safetensors");
    assertFalse(Files.exists(temp.resolve("t").resolve("run.conf")), "nothing half-written");

    Path unknown = temp.resolve("unknown");
    Files.createDirectories(unknown);
    Files.writeString(
        unknown.resolve("config.json"),
        Files.readString(model.resolve("config.json"))
            .replace("\"model_type\": \"gpt2\"", "\"model_type\": \"bert\""));
    Files.copy(model.resolve("model.safetensors"), unknown.resolve("model.safetensors"));
    r = cli("info", "--model", unknown.toString());
    assertUsageError(r, "bert");
    assertTrue(r.err().contains("gpt2") && r.err().contains("llama"), r.err());

    r = cli("import", "--from", model.toString(), "--run", run.toString());
    assertUsageError(r, "already holds a run");

    r = cli("logits", "--run", run.toString(), "--ids", "1,2,3;4,5", "--positions", "0");
    assertUsageError(r, "one length");
    r = cli("logits", "--run", run.toString(), "--ids", "1,2,512", "--positions", "0");
    assertUsageError(r, "[0, 512)");
    r = cli("logits", "--run", run.toString(), "--ids", "1,2,3", "--positions", "0,3");
    assertUsageError(r, "position 3");
    r = cli("logits", "--run", run.toString(), "--ids", "1,x,3", "--positions", "0");
    assertUsageError(r, "'x' is not an integer");
  }

  /** {@code sdk-cli logits} of a run's checkpoint on {@code backend}. */
  private static Run logits(String run, String ids, String positions, String backend) {
    return cli(
        "logits", "--run", run, "--ids", ids, "--positions", positions, "--backend", backend);
  }

  private static void assertUsageError(Run r, String fragment) {
    assertEquals(SdkCli.EXIT_USAGE, r.exitCode(), r.err() + r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(fragment), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

package dev.text2code.it;

import static dev.text2code.it.Fixtures.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.Provenance;
import dev.text2code.cli.SdkCli;
import dev.text2code.it.Fixtures.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sdk-cli chain on every backend: train where the backend can, export, generate, evaluate; and
 * the clear rejections of bad input.
 */
class CliEndToEndIT {
  @TempDir Path temp;

  private Path corpus(String name) throws Exception {
    Path file = temp.resolve(name);
    if (Files.exists(file)) return file;
    try (var in = getClass().getResourceAsStream("/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  private String[] tiny(Path run, String backend, String... more) throws Exception {
    String tokenizerFile = temp.resolve("tokenizer.json").toString();
    if (!Files.exists(Path.of(tokenizerFile))) {
      Fixtures.tokenizer(temp);
    }
    String[] base = {
      "--backend", backend,
      "--tokenizer", "bpe",
      "--set", "tokenizers.file=" + tokenizerFile,
      "--set", "model.layers=1",
      "--set", "model.heads=2",
      "--set", "model.width=16",
      "--set", "model.context=64",
      "--set", "training.max-steps=4",
      "--set", "training.batch-size=2",
      "--set", "training.warmup-steps=1",
      "--set", "training.eval-interval=2",
      "--set", "training.checkpoint-interval=2",
      "--set", "data.held-out-fraction=0.2",
      "--set", "generation.max-new-tokens=8",
      "--set", "generation.limit=3",
      "--set", "evaluation.benchmark=" + corpusProblems(),
      "--set", "run.directory=" + run,
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private String corpusProblems() throws Exception {
    Path file = temp.resolve("problems.jsonl");
    if (!Files.exists(file)) {
      try (var in =
          SdkCli.class.getResourceAsStream("/dev/text2code/runs/starter-problems.jsonl")) {
        Files.copy(in, file);
      }
    }
    return file.toString();
  }

  /** Trains a tiny run on the shipped pairs and checks that it succeeded. */
  private Run train(Path run, String backend, String... more) throws Exception {
    return trainOn(corpus("pairs.jsonl"), run, backend, more);
  }

  /** Trains a tiny run on {@code pairs} and checks that it succeeded. */
  private Run trainOn(Path pairs, Path run, String backend, String... more) throws Exception {
    Run trained = cli(concat(tiny(run, backend, more), "train", "--corpus", pairs.toString()));
    assertEquals(0, trained.exitCode(), trained.err() + trained.out());
    return trained;
  }

  /**
   * Issue 20: a corpus of two rows, a batch of 8 spanning four epochs, no held-out evaluation; it
   * used to crash with a ConcurrentModificationException.
   */
  @Test
  void aTwoRowCorpusTrainsAndSaysThatNoHeldOutEvaluationRan() throws Exception {
    Path twoPairs = temp.resolve("two-pairs.jsonl");
    Files.write(twoPairs, Files.readAllLines(corpus("pairs.jsonl")).subList(0, 2));
    Path run = temp.resolve("run-two-rows");
    Run trained =
        trainOn(
            twoPairs,
            run,
            "pytorch",
            "--set",
            "training.batch-size=8",
            "--set",
            "training.eval-interval=0",
            "--set",
            "data.held-out-fraction=0");
    java.util.regex.Matcher rows =
        java.util.regex.Pattern.compile("(\\d+) training rows, 0 held-out rows")
            .matcher(trained.out());
    assertTrue(rows.find() && Integer.parseInt(rows.group(1)) <= 2, trained.out());
    assertTrue(trained.out().contains("done: 4 steps"), trained.out());
    assertTrue(trained.out().contains("no held-out evaluation ran"), trained.out());
    assertTrue(!trained.out().contains("NaN") && trained.err().isEmpty(), trained.err());
  }

  /** Every backend that trains records the same typed provenance for the same run. */
  @Test
  void pytorchAndTensorflowCheckpointsCarryTheSameProvenance() throws Exception {
    Provenance[] written = new Provenance[2];
    String[] backends = {"pytorch", "tensorflow"};
    for (int i = 0; i < 2; i++) {
      Path run = temp.resolve("run-provenance-" + backends[i]);
      train(run, backends[i]);
      written[i] = Checkpoint.read(run.resolve("checkpoint")).provenance();
      assertEquals(backends[i], written[i].backend());
      assertEquals("code-clm", written[i].objective());
      assertTrue(written[i].preparedDataHash().startsWith("sha256:"), written[i].toString());
      assertTrue(!written[i].engine().isEmpty(), written[i].toString());
    }
    assertEquals(written[0].sdkVersion(), written[1].sdkVersion());
    assertEquals(written[0].tokenizerFingerprint(), written[1].tokenizerFingerprint());
    assertEquals(written[0].preparedDataHash(), written[1].preparedDataHash());
    assertEquals(written[0].parentCheckpoint(), written[1].parentCheckpoint());
  }

  @Test
  void pytorchTrainsAndEveryBackendGeneratesAndEvaluates() throws Exception {
    Path run = temp.resolve("run-pytorch");
    train(run, "pytorch");
    assertTrue(Files.isRegularFile(run.resolve("checkpoint/model.safetensors")));
    assertTrue(Files.readString(run.resolve("loss.csv")).lines().count() == 5, "4 steps + header");
    assertTrue(Files.readString(run.resolve("loss.svg")).startsWith("<svg"));
    for (String backend : new String[] {"pytorch", "tensorflow", "onnx"}) {
      Path samples = run.resolve("samples-" + backend + ".jsonl");
      Run generated = cli(concat(tiny(run, backend), "generate", "--output", samples.toString()));
      assertEquals(0, generated.exitCode(), backend + ": " + generated.err());
      assertEquals(3, Files.readAllLines(samples).size(), backend);
      assertTrue(generated.out().contains("causal attention over the prompt"), generated.out());
      Run evaluated = cli(concat(tiny(run, backend), "evaluate", "--samples", samples.toString()));
      assertEquals(0, evaluated.exitCode(), backend + ": " + evaluated.err());
      assertTrue(evaluated.out().contains("pass@1 = "), evaluated.out());
    }
    Run exported =
        cli(
            "export",
            "--to",
            "onnx",
            "--checkpoint",
            run.resolve("checkpoint").toString(),
            "--output",
            temp.resolve("exported.onnx").toString());
    assertEquals(0, exported.exitCode(), exported.err());
    assertTrue(Files.size(temp.resolve("exported.onnx")) > 1000);
  }

  @Test
  void completePrintsCodeForADescriptionAlikeOnEveryBackend() throws Exception {
    Path run = temp.resolve("run-complete");
    train(run, "pytorch");
    String first = null;
    for (String backend : new String[] {"pytorch", "tensorflow", "onnx"}) {
      Run completed =
          cli(
              concat(
                  tiny(run, backend),
                  "complete",
                  "--code",
                  "def add(a, b):",
                  "Return the sum of a and b."));
      assertEquals(0, completed.exitCode(), backend + ": " + completed.err());
      assertTrue(completed.out().startsWith("def add(a, b):\n"), completed.out());
      assertTrue(
          completed.out().lines().reduce((a, b) -> b).orElseThrow().matches("# \\d+ tokens, \\w+"),
          completed.out());
      if (first == null) first = completed.out();
      else assertEquals(first, completed.out(), backend + " completes differently from pytorch");
    }
    Run sampled =
        cli(
            concat(
                tiny(
                    run,
                    "pytorch",
                    "--set",
                    "generation.sample=true",
                    "--set",
                    "generation.samples=2"),
                "complete",
                "Return the sum of a and b."));
    assertEquals(0, sampled.exitCode(), sampled.err());
    assertTrue(sampled.out().contains("# sample 2\n"), sampled.out());
  }

  @Test
  void completeInfillsWithARunTrainedToInfill() throws Exception {
    Path run = temp.resolve("run-fim");
    train(run, "pytorch", "--objective", "fim");
    for (String layout : new String[] {"psm", "spm"}) {
      Run filled =
          cli(
              concat(
                  tiny(run, "pytorch"),
                  "complete",
                  "--fim-layout",
                  layout,
                  "--code",
                  "def add(a, b):\n    return ",
                  "--suffix",
                  "\n\n\nprint(add(1, 2))\n",
                  "Add two numbers."));
      assertEquals(0, filled.exitCode(), filled.err());
      String program = filled.out().substring(0, filled.out().lastIndexOf("# "));
      assertTrue(program.startsWith("def add(a, b):\n    return "), filled.out());
      assertTrue(program.endsWith("\n\n\nprint(add(1, 2))\n"), filled.out());
    }
    Path causal = temp.resolve("run-causal");
    train(causal, "pytorch");
    Run refused =
        cli(concat(tiny(causal, "pytorch"), "complete", "--code", "x = ", "--suffix", "\n"));
    assertEquals(2, refused.exitCode(), refused.out());
    assertTrue(refused.err().contains("fim or codegen2-infill"), refused.err());
    assertTrue(refused.err().contains("code-clm"), refused.err());
  }

  /** Two problems whose gold solutions have several lines, one with a loop. */
  private Path multiLineProblems() throws Exception {
    Path file = temp.resolve("multi-line.jsonl");
    Files.writeString(
        file,
        "{\"task_id\": \"Multi/0\", \"prompt\": \"def total(xs):\\n    \\\"\\\"\\\" Sum of xs."
            + " \\\"\\\"\\\"\\n\", \"canonical_solution\": \"    t = 0\\n    for x in xs:\\n"
            + "        t += x\\n    return t\\n\", \"test\": \"def check(f):\\n    assert f([1, 2])"
            + " == 3\\n\", \"entry_point\": \"total\"}\n"
            + "{\"task_id\": \"Multi/1\", \"prompt\": \"def twice(s):\\n    \\\"\\\"\\\" s twice."
            + " \\\"\\\"\\\"\\n\", \"canonical_solution\": \"    r = s\\n    r = r + s\\n"
            + "    return r\\n\", \"test\": \"def check(f):\\n    assert f('a') == 'aa'\\n\","
            + " \"entry_point\": \"twice\"}\n");
    return file;
  }

  @Test
  void incrementalTasksAreGeneratedAndScoredMacroAndMicro() throws Exception {
    Path run = temp.resolve("run-incremental");
    train(run, "pytorch");
    Path problemsFile = multiLineProblems();
    String[] incremental = {
      "--set", "evaluation.incremental=true", "--set", "evaluation.benchmark=" + problemsFile
    };
    Path samples = temp.resolve("incremental.jsonl");
    Run generated =
        cli(concat(tiny(run, "pytorch", incremental), "generate", "--output", samples.toString()));
    assertEquals(0, generated.exitCode(), generated.err());
    var problems = dev.text2code.evaluation.problems.HumanEval.load(problemsFile);
    List<dev.text2code.evaluation.io.Sample> gold = new java.util.ArrayList<>();
    for (var p : problems.values()) {
      for (var task : dev.text2code.evaluation.IncrementalTasks.build(p)) {
        gold.add(
            new dev.text2code.evaluation.io.Sample(
                task.problem().taskId(), task.problem().canonicalSolution()));
      }
    }
    List<String> lines = Files.readAllLines(samples);
    assertEquals(7, gold.size(), "4 + 3 sub-tasks");
    assertEquals(gold.size(), lines.size(), "one sample per sub-task");
    assertTrue(lines.get(2).contains("Multi/0_2"), lines.get(2));
    Run evaluated =
        cli(concat(tiny(run, "pytorch", incremental), "evaluate", "--samples", samples.toString()));
    assertEquals(0, evaluated.exitCode(), evaluated.err());
    assertTrue(evaluated.out().contains("incremental macro pass@1 = "), evaluated.out());
    assertTrue(evaluated.out().contains("incremental micro pass@1 = "), evaluated.out());
    // the gold rest of every sub-task passes: the prompts with their gold prefixes execute
    Path goldFile = temp.resolve("gold.jsonl");
    dev.text2code.evaluation.io.SampleFile.write(goldFile, gold);
    Run perfect =
        cli(
            concat(
                tiny(run, "pytorch", incremental), "evaluate", "--samples", goldFile.toString()));
    assertEquals(0, perfect.exitCode(), perfect.err());
    assertTrue(perfect.out().contains("incremental macro pass@1 = 1.0000"), perfect.out());
    assertTrue(perfect.out().contains("incremental micro pass@1 = 1.0000"), perfect.out());
    // a run on linearised code takes the same sub-tasks: prompts keep a gold loop open
    Path linear = temp.resolve("run-linear");
    String[] linearised = {"--set", "data.linearize=true"};
    train(linear, "pytorch", linearised);
    Path linearSamples = temp.resolve("incremental-linear.jsonl");
    Run generatedLinear =
        cli(
            concat(
                tiny(linear, "pytorch", concat(linearised, incremental)),
                "generate",
                "--output",
                linearSamples.toString()));
    assertEquals(0, generatedLinear.exitCode(), generatedLinear.err());
    assertEquals(gold.size(), Files.readAllLines(linearSamples).size());
    Run completedLinear =
        cli(concat(tiny(linear, "pytorch"), "complete", "--code", "def f(x):", "Return x."));
    assertEquals(0, completedLinear.exitCode(), completedLinear.err());
    assertTrue(completedLinear.out().startsWith("def f(x):\n"), completedLinear.out());
  }

  @Test
  void promptsAttendAsTheObjectiveTrained() throws Exception {
    Path run = temp.resolve("run-prefix");
    train(run, "pytorch", "--objective", "prefix-code-clm");
    Run prefix = cli(concat(tiny(run, "pytorch"), "generate"));
    assertEquals(0, prefix.exitCode(), prefix.err());
    assertTrue(prefix.out().contains("prefix attention over the prompt"), prefix.out());
    Run causal =
        cli(
            concat(
                tiny(run, "pytorch", "--set", "generation.prompt-attention=causal"), "generate"));
    assertEquals(0, causal.exitCode(), causal.err());
    assertTrue(causal.out().contains("causal attention over the prompt"), causal.out());
  }

  @Test
  void tensorflowTrainsThroughTheSameChain() throws Exception {
    Path run = temp.resolve("run-tensorflow");
    Run trained = train(run, "tensorflow");
    assertTrue(trained.out().contains("done: 4 steps"), trained.out());
  }

  @Test
  void onnxRefusesToTrainAndNamesTheBackendsThatCan() throws Exception {
    Run r =
        cli(
            concat(
                tiny(temp.resolve("run-onnx"), "onnx"),
                "train",
                "--corpus",
                corpus("pairs.jsonl").toString()));
    assertEquals(SdkCli.EXIT_FAILURE, r.exitCode());
    assertTrue(r.err().contains("pytorch") && r.err().contains("tensorflow"), r.err());
  }

  @Test
  void aMalformedCorpusIsReadWithCountedSkips() throws Exception {
    Path run = temp.resolve("run-malformed");
    Run r =
        cli(
            concat(
                tiny(run, "pytorch"),
                "train",
                "--corpus",
                corpus("malformed-pairs.jsonl").toString()));
    assertTrue(r.out().contains("2 records or files skipped"), r.out() + r.err());
    Path file = corpus("malformed-pairs.jsonl");
    assertTrue(r.out().contains("  e.g. " + file + ":2: not valid JSON"), r.out());
    assertEquals(
        List.of(
            "{\"where\":\"" + file + ":2\",\"reason\":\"not valid JSON\"}",
            "{\"where\":\"" + file + ":3\",\"reason\":\"empty text\"}"),
        Files.readAllLines(run.resolve("rejects.jsonl")));
  }

  @Test
  void aStrictCorpusStopsAtTheFirstBadRecordWithFileAndLine() throws Exception {
    Path run = temp.resolve("run-strict");
    Path file = corpus("malformed-pairs.jsonl");
    Run r =
        cli(
            concat(
                tiny(run, "pytorch", "--set", "data.strict=true"),
                "prepare",
                "--corpus",
                file.toString()));
    // invalid input, like invalid configuration, exits 2
    assertEquals(SdkCli.EXIT_USAGE, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains(file + ":2: not valid JSON"), r.err());
  }

  @Test
  void aCorruptCheckpointIsRejectedWithItsFileName() throws Exception {
    Path dir = temp.resolve("corrupt");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("checkpoint.json"), "{\"format\": \"text2code-checkpoint-1\", \"spec\": ");
    Run r = cli("export", "--to", "onnx", "--checkpoint", dir.toString());
    assertEquals(SdkCli.EXIT_FAILURE, r.exitCode());
    assertTrue(r.err().contains("checkpoint.json"), r.err());
  }

  @Test
  void anUnknownKeyOrValueIsRejected() throws Exception {
    Path conf = temp.resolve("bad.conf");
    Files.writeString(conf, "training {\n  max-step = 3\n}\n");
    Run key = cli("--config", conf.toString(), "info");
    assertEquals(SdkCli.EXIT_USAGE, key.exitCode());
    assertTrue(key.err().contains("line 2") && key.err().contains("training.max-steps"), key.err());
    Run value = cli("--set", "separation=halfway", "info");
    Run value2 =
        cli(
            "--set",
            "separation=halfway",
            "train",
            "--run",
            temp.resolve("run-halfway").toString(),
            "--corpus",
            corpus("pairs.jsonl").toString());
    assertEquals(SdkCli.EXIT_USAGE, value2.exitCode(), value2.err() + value.err());
    assertTrue(value2.err().contains("separation = halfway"), value2.err());
  }

  @Test
  void certTrainsTwoModelsAndComparesTheTwoStagePipelineWithTheBaselineInOneReport()
      throws Exception {
    Path pairs = corpus("pairs.jsonl");
    Path sketcher = temp.resolve("cert-sketcher");
    Path generator = temp.resolve("cert-generator");
    for (String[] run :
        new String[][] {
          {"cert-sketcher", sketcher.toString()}, {"cert-generator", generator.toString()}
        }) {
      Run trained =
          cli(
              concat(
                  tiny(Path.of(run[1]), "pytorch"),
                  "--objective",
                  run[0],
                  "--set",
                  "separation=none",
                  "--set",
                  "model.context=192",
                  "train",
                  "--corpus",
                  pairs.toString()));
      assertEquals(0, trained.exitCode(), run[0] + ": " + trained.err() + trained.out());
    }
    String[] certSettings = {
      "--set",
      "cert.samples=2",
      "--set",
      "cert.batch-size=2",
      "--set",
      "cert.max-new-tokens=8",
      "--set",
      "model.context=192"
    };
    Path certSamples = temp.resolve("cert.jsonl");
    Run cert =
        cli(
            concat(
                concat(tiny(generator, "pytorch"), certSettings),
                "generate",
                "--pipeline",
                "cert",
                "--sketcher",
                sketcher.toString(),
                "--generator",
                generator.toString(),
                "--output",
                certSamples.toString()));
    assertEquals(0, cert.exitCode(), cert.err() + cert.out());
    assertTrue(cert.out().contains("CERT samples for 3 problems"), cert.out());
    assertEquals(6, Files.readAllLines(certSamples).size(), "2 samples for each of 3 problems");
    assertTrue(Files.readString(certSamples).contains("\"cert_source\""));
    Path baseline = temp.resolve("baseline.jsonl");
    Run single =
        cli(
            concat(
                tiny(generator, "pytorch"),
                "--set",
                "model.context=192",
                "generate",
                "--output",
                baseline.toString()));
    assertEquals(0, single.exitCode(), single.err());
    Run evaluated =
        cli(
            concat(
                tiny(generator, "pytorch"),
                "evaluate",
                "--samples",
                baseline.toString(),
                "--samples",
                certSamples.toString(),
                "--report",
                temp.toString()));
    assertEquals(0, evaluated.exitCode(), evaluated.err());
    String report = Files.readString(temp.resolve("report.json"));
    assertTrue(report.contains("baseline.jsonl") && report.contains("cert.jsonl"), report);
    assertTrue(Files.readString(temp.resolve("report.html")).contains("<svg"));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

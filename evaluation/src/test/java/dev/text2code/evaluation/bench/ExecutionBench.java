package dev.text2code.evaluation.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.evaluation.execution.ExecutionMode;
import dev.text2code.evaluation.execution.ExecutionResult;
import dev.text2code.evaluation.execution.SandboxConfig;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.JsonLines;
import dev.text2code.evaluation.problems.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Executes the 164 HumanEval canonical solutions with our sandbox and with the openai/human-eval
 * style peer ({@code benchmarks/evaluation/reference_runner.py}: a fresh multiprocessing.Process
 * per sample), same workers, same machine, one run each (our fresh-interpreter mode too); checks
 * the verdicts agree and prints a table. Run:
 *
 * <pre>
 * mvn -B -pl evaluation -am test-compile
 * mvn -B -o -q -pl evaluation exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.text2code.evaluation.bench.ExecutionBench \
 *   -Dexec.args="../shared/data/humaneval/HumanEval.jsonl.gz benchmarks/evaluation/reference_runner.py 4"
 * </pre>
 *
 * <p>Args: {@code <HumanEval.jsonl.gz> <reference_runner.py> [workers=4]}.
 */
public final class ExecutionBench {
  private ExecutionBench() {}

  public static void main(String[] args) throws Exception {
    Path problemsFile = Path.of(args[0]);
    Path reference = Path.of(args[1]);
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    List<Problem> problems = List.copyOf(HumanEval.load(problemsFile).values());
    List<String> programs = problems.stream().map(p -> p.program(p.canonicalSolution())).toList();

    SandboxConfig config =
        SandboxConfig.defaults().withTimeout(Duration.ofSeconds(3)).withWorkers(workers);
    List<ExecutionResult> ours = null;
    double ourSeconds = 0;
    String isolation = "";
    double freshSeconds = 0;
    long freshPassed = 0;
    for (ExecutionMode mode : List.of(ExecutionMode.FORK_SERVER, ExecutionMode.FRESH_INTERPRETER)) {
      try (SandboxedExecutor executor = SandboxedExecutor.create(config.withMode(mode))) {
        long start = System.nanoTime();
        List<ExecutionResult> results = executor.executeAll(programs);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (mode == ExecutionMode.FORK_SERVER) {
          ours = results;
          ourSeconds = seconds;
          isolation = executor.isolation() + (executor.usesCgroups() ? " + cgroups" : "");
          config = config.withInterpreter(executor.interpreter().executable().toString());
        } else {
          freshSeconds = seconds;
          freshPassed = results.stream().filter(ExecutionResult::passed).count();
        }
      }
    }

    Path verdicts = Files.createTempFile("reference-verdicts", ".jsonl");
    Process process =
        new ProcessBuilder(
                config.interpreter(),
                reference.toString(),
                "--problems",
                problemsFile.toString(),
                "--out",
                verdicts.toString(),
                "--workers",
                Integer.toString(workers),
                "--timeout",
                "3.0")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("reference runner failed: " + output);
    }
    JsonNode summary =
        JsonLines.mapper().readTree(output.strip().lines().reduce((a, b) -> b).orElseThrow());
    double referenceSeconds = summary.get("seconds").asDouble();
    List<String> theirs = new ArrayList<>();
    for (String line : Files.readAllLines(verdicts)) {
      theirs.add(JsonLines.mapper().readTree(line).get("result").asText());
    }
    Files.delete(verdicts);

    int agree = 0;
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < problems.size(); i++) {
      boolean ourPass = ours.get(i).passed();
      boolean theirPass = "passed".equals(theirs.get(i));
      if (ourPass == theirPass) {
        agree++;
      } else {
        disagreements.add(
            problems.get(i).taskId()
                + ": ours "
                + ours.get(i).resultText()
                + " / reference "
                + theirs.get(i));
      }
    }
    long ourPassed = ours.stream().filter(ExecutionResult::passed).count();
    long theirPassed = theirs.stream().filter("passed"::equals).count();
    int n = problems.size();
    System.out.printf(
        Locale.ROOT,
        "%nHumanEval canonical solutions, %d samples, %d workers, %d CPUs%n",
        n,
        workers,
        Runtime.getRuntime().availableProcessors());
    System.out.println("load average at the end: " + loadAverage());
    System.out.printf(
        Locale.ROOT, "%-44s %8s %8s %10s%n", "harness", "passed", "seconds", "samples/s");
    System.out.printf(
        Locale.ROOT,
        "%-44s %8d %8.2f %10.1f%n",
        "text2code SandboxedExecutor (" + isolation + ")",
        ourPassed,
        ourSeconds,
        n / ourSeconds);
    System.out.printf(
        Locale.ROOT,
        "%-44s %8d %8.2f %10.1f%n",
        "  same, FRESH_INTERPRETER mode",
        freshPassed,
        freshSeconds,
        n / freshSeconds);
    System.out.printf(
        Locale.ROOT,
        "%-44s %8d %8.2f %10.1f%n",
        "reference_runner.py (Process per sample)",
        theirPassed,
        referenceSeconds,
        n / referenceSeconds);
    System.out.printf(
        Locale.ROOT,
        "speed-up: %.2fx; verdicts agree on %d/%d%n",
        referenceSeconds / ourSeconds,
        agree,
        n);
    disagreements.forEach(d -> System.out.println("  differs: " + d));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}

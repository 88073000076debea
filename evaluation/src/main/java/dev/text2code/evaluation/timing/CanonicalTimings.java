package dev.text2code.evaluation.timing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Text2CodeException;
import dev.text2code.evaluation.execution.ExecutionResult;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.problems.JsonLines;
import dev.text2code.evaluation.problems.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical solutions' runtimes on this machine, in this sandbox: measured once per problem and
 * cached in {@code <cache directory>/canonical-times-<hash>.json}, the hash covering every
 * problem's program and the interpreter's version, so a changed benchmark file, prompt transform or
 * interpreter is measured afresh. Time limits derive from them with a {@link Policy}.
 */
public final class CanonicalTimings {
  private CanonicalTimings() {}

  /**
   * A problem's limit: {@code max(floor, factor × canonical runtime)} (EvalPlus's rule).
   *
   * @param floor the least time any problem gets
   * @param factor the multiple of the canonical solution's runtime
   */
  public record Policy(Duration floor, double factor) {
    public Policy {
      ConfigurationException.require(
          floor != null && !floor.isNegative() && !floor.isZero(),
          "floor",
          floor,
          "a positive duration");
      ConfigurationException.require(factor >= 1 && factor <= 100, "factor", factor, "1..100");
    }

    public Duration limitFor(Duration canonical) {
      Duration scaled = Duration.ofNanos((long) (canonical.toNanos() * factor));
      return scaled.compareTo(floor) > 0 ? scaled : floor;
    }
  }

  /**
   * What was measured.
   *
   * @param problemSetHash the SHA-256 the cache is keyed by
   * @param times each canonical solution's runtime, by task id
   * @param failures task ids whose canonical solution did not pass, with the verdict
   * @param cacheFile where the times are kept
   * @param measuredNow how many were measured by this call (0: all from the cache)
   */
  public record Measured(
      String problemSetHash,
      Map<String, Duration> times,
      Map<String, String> failures,
      Path cacheFile,
      int measuredNow) {
    public Measured {
      times = Map.copyOf(times);
      failures = Map.copyOf(failures);
    }

    /** Each task's limit under {@code policy} (the floor for a canonical solution that failed). */
    public Map<String, Duration> limits(Policy policy) {
      Map<String, Duration> limits = new TreeMap<>();
      times.forEach((task, time) -> limits.put(task, policy.limitFor(time)));
      failures.keySet().forEach(task -> limits.put(task, policy.floor()));
      return limits;
    }
  }

  /** SHA-256 over the interpreter version and every problem's id and canonical program. */
  public static String problemSetHash(Map<String, Problem> problems, String interpreterVersion) {
    MessageDigest digest = sha256();
    digest.update(("python " + interpreterVersion + "\n").getBytes(StandardCharsets.UTF_8));
    for (Problem problem : problems.values()) {
      digest.update((problem.taskId() + "\n").getBytes(StandardCharsets.UTF_8));
      digest.update(problem.program(problem.canonicalSolution()).getBytes(StandardCharsets.UTF_8));
      digest.update(new byte[] {0});
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** SHA-256 of a file's bytes (a benchmark file, for the results' provenance). */
  public static String fileHash(Path file) {
    MessageDigest digest = sha256();
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
    } catch (IOException e) {
      throw new Text2CodeException("cannot hash " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The canonical runtimes of {@code taskIds} (of {@code problems}): read from the cache, the
   * missing ones measured in {@code executor} (each under {@code measuringLimit}) and added to it.
   */
  public static Measured measure(
      SandboxedExecutor executor,
      Map<String, Problem> problems,
      Collection<String> taskIds,
      Path cacheDirectory,
      Duration measuringLimit) {
    String hash = problemSetHash(problems, executor.interpreter().version());
    Path cacheFile = cacheDirectory.resolve("canonical-times-" + hash.substring(0, 16) + ".json");
    Map<String, Duration> times = new TreeMap<>();
    Map<String, String> failures = new TreeMap<>();
    read(cacheFile, hash, times, failures);
    List<String> missing = new ArrayList<>();
    for (String task : new java.util.LinkedHashSet<>(taskIds)) {
      if (!problems.containsKey(task)) {
        throw new ConfigurationException(
            "task " + task + " is not one of the " + problems.size() + " problems");
      }
      if (!times.containsKey(task) && !failures.containsKey(task)) missing.add(task);
    }
    if (!missing.isEmpty()) {
      List<String> programs =
          missing.stream()
              .map(task -> problems.get(task).program(problems.get(task).canonicalSolution()))
              .toList();
      Map<String, ExecutionResult> results = new LinkedHashMap<>();
      executor.executeAll(
          programs,
          java.util.Collections.nCopies(programs.size(), measuringLimit),
          (index, result) -> results.put(missing.get(index), result));
      results.forEach(
          (task, result) -> {
            if (result.passed()) times.put(task, result.wallTime());
            else failures.put(task, result.resultText());
          });
      write(cacheFile, hash, executor.interpreter().version(), times, failures);
    }
    Map<String, Duration> wanted = new TreeMap<>();
    Map<String, String> failed = new TreeMap<>();
    for (String task : taskIds) {
      if (times.containsKey(task)) wanted.put(task, times.get(task));
      if (failures.containsKey(task)) failed.put(task, failures.get(task));
    }
    return new Measured(hash, wanted, failed, cacheFile, missing.size());
  }

  private static void read(
      Path cacheFile, String hash, Map<String, Duration> times, Map<String, String> failures) {
    if (!Files.isRegularFile(cacheFile)) return;
    try {
      JsonNode root = JsonLines.mapper().readTree(cacheFile.toFile());
      if (!hash.equals(root.path("problem_set_sha256").asText())) return;
      root.path("seconds")
          .fields()
          .forEachRemaining(
              e -> times.put(e.getKey(), Duration.ofNanos((long) (e.getValue().asDouble() * 1e9))));
      root.path("failures")
          .fields()
          .forEachRemaining(e -> failures.put(e.getKey(), e.getValue().asText()));
    } catch (IOException e) {
      // an unreadable cache is measured again and rewritten
      times.clear();
      failures.clear();
    }
  }

  private static void write(
      Path cacheFile,
      String hash,
      String version,
      Map<String, Duration> times,
      Map<String, String> failures) {
    ObjectNode root = JsonLines.newObject();
    root.put("problem_set_sha256", hash);
    root.put("python", version);
    ObjectNode seconds = root.putObject("seconds");
    times.forEach((task, time) -> seconds.put(task, time.toNanos() / 1e9));
    ObjectNode failed = root.putObject("failures");
    failures.forEach(failed::put);
    try {
      Files.createDirectories(cacheFile.toAbsolutePath().getParent());
      Path partial = Files.createTempFile(cacheFile.toAbsolutePath().getParent(), "times", ".part");
      Files.writeString(
          partial, JsonLines.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
      Files.move(
          partial, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Text2CodeException("cannot write " + cacheFile + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

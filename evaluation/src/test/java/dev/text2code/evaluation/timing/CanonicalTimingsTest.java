package dev.text2code.evaluation.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.evaluation.execution.SandboxConfig;
import dev.text2code.evaluation.execution.SandboxedExecutor;
import dev.text2code.evaluation.problems.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanonicalTimingsTest {
  @TempDir Path dir;
  private SandboxedExecutor executor;

  @BeforeAll
  void start() throws Exception {
    executor =
        SandboxedExecutor.create(
            SandboxConfig.defaults()
                .withTimeout(Duration.ofSeconds(30))
                .withWorkers(2)
                .withWorkRoot(Files.createTempDirectory("t2c-timings-")));
  }

  @AfterAll
  void stop() {
    executor.close();
  }

  private static Map<String, Problem> problems(String slowSleep) {
    Map<String, Problem> problems = new LinkedHashMap<>();
    String test = "def check(f):\n    assert f() == 1\n";
    problems.put("T/fast", new Problem("T/fast", "def f():\n", "    return 1\n", test, "f"));
    problems.put(
        "T/slow",
        new Problem(
            "T/slow",
            "import time\ndef f():\n",
            "    time.sleep(" + slowSleep + ")\n    return 1\n",
            test,
            "f"));
    problems.put("T/broken", new Problem("T/broken", "def f():\n", "    return 2\n", test, "f"));
    return problems;
  }

  @Test
  void limitsAreTheFloorOrAFactorOfTheCanonicalTimeMeasuredOnceAndCached() {
    Map<String, Problem> problems = problems("0.3");
    Path cache = dir.resolve("cache");
    CanonicalTimings.Measured first =
        CanonicalTimings.measure(
            executor, problems, problems.keySet(), cache, Duration.ofSeconds(30));
    assertEquals(3, first.measuredNow());
    assertEquals(Map.of("T/broken", "failed: AssertionError"), first.failures());
    assertTrue(first.times().get("T/slow").toMillis() >= 300, first.times().toString());
    CanonicalTimings.Policy policy = new CanonicalTimings.Policy(Duration.ofMillis(500), 4.0);
    Map<String, Duration> limits = first.limits(policy);
    assertEquals(Duration.ofMillis(500), limits.get("T/broken"), "a failing canonical: the floor");
    assertEquals(policy.limitFor(first.times().get("T/fast")), limits.get("T/fast"));
    assertTrue(limits.get("T/slow").toMillis() >= 1200, limits.toString());

    CanonicalTimings.Measured again =
        CanonicalTimings.measure(
            executor, problems, problems.keySet(), cache, Duration.ofSeconds(30));
    assertEquals(0, again.measuredNow(), "read from the cache");
    assertEquals(first.times(), again.times());
    assertEquals(first.cacheFile(), again.cacheFile());

    Map<String, Problem> changed = problems("0.01");
    CanonicalTimings.Measured fresh =
        CanonicalTimings.measure(
            executor, changed, List.of("T/slow"), cache, Duration.ofSeconds(30));
    assertNotEquals(first.problemSetHash(), fresh.problemSetHash());
    assertEquals(1, fresh.measuredNow(), "another problem set is measured afresh");
  }

  @Test
  void policyRuleAndValidation() {
    CanonicalTimings.Policy policy = new CanonicalTimings.Policy(Duration.ofSeconds(3), 4.0);
    assertEquals(Duration.ofSeconds(3), policy.limitFor(Duration.ofMillis(100)));
    assertEquals(Duration.ofSeconds(8), policy.limitFor(Duration.ofSeconds(2)));
    var error =
        assertThrows(
            ConfigurationException.class,
            () -> new CanonicalTimings.Policy(Duration.ofSeconds(3), 0.5));
    assertEquals("factor = 0.5 is not valid; expected 1..100", error.getMessage());
  }
}

package dev.text2code.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prepare --engine}: an engine that is not on the class path is invalid input. */
class PrepareEngineTest {
  @TempDir Path dir;

  @Test
  void sparkWithoutTheDataSparkModuleExitsTwoSayingHowToGetIt() throws Exception {
    Path corpus = dir.resolve("pairs.jsonl");
    Files.write(
        corpus, List.of("{\"text\": \"Add one.\", \"code\": \"def f(x):\\n    return x + 1\\n\"}"));
    Path run = dir.resolve("run");
    SdkCliTest.Run r =
        SdkCliTest.run(
            Map.of(),
            "prepare",
            "--run",
            run.toString(),
            "--corpus",
            corpus.toString(),
            "--engine",
            "spark");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("data.engine = spark is not available"), r.err());
    assertTrue(r.err().contains("data-spark"), r.err());
    assertFalse(Files.exists(run.resolve("prepared")), "nothing prepared");
  }
}

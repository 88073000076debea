package dev.text2code.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.backend.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported file passes the onnx package's checker (Debian: {@code apt-get install
 * python3-onnx}). Skips, saying so, where no Python with {@code onnx} is found.
 */
class OnnxCheckerIT {
  @TempDir Path temp;

  /** A Python that can import onnx: {@code -Dt2c.python}, else python3 on PATH, else Debian's. */
  static Optional<String> pythonWithOnnx() {
    String configured = System.getProperty("t2c.python");
    List<String> candidates =
        configured != null ? List.of(configured) : List.of("python3", "/usr/bin/python3");
    for (String python : candidates) {
      try {
        Process p =
            new ProcessBuilder(python, "-c", "import onnx").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(python);
      } catch (IOException e) {
        // not installed: try the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  @Test
  void theExportPassesTheIndependentOnnxChecker() throws Exception {
    Optional<String> python = pythonWithOnnx();
    assumeTrue(
        python.isPresent(),
        "no Python with the onnx package (python3 -c 'import onnx' fails); on Debian: apt-get"
            + " install python3-onnx");
    MappedRouter router = TestModels.partialRouter();
    ModelSpec spec = TestModels.spec(router, 3, 2, 16, 16);
    Path inline = temp.resolve("model.onnx");
    Path external = temp.resolve("external.onnx");
    OnnxExporter.export(TestModels.checkpoint(spec, router, 5), "test", inline);
    OnnxExporter.export(TestModels.checkpoint(spec, router, 5), "test", external, true);
    Path script = temp.resolve("check_onnx.py");
    try (InputStream in = getClass().getResourceAsStream("/check_onnx.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    for (Path model : List.of(inline, external)) {
      Process p =
          new ProcessBuilder(python.get(), script.toString(), model.toString(), "3")
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "checker timed out");
      assertEquals(0, p.exitValue(), "onnx checker rejected " + model + ":\n" + output);
      assertTrue(output.startsWith("OK"), output);
    }
  }
}

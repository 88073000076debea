package dev.text2code.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sdk-cli} launcher script with every variable it documents set (issue 20: the
 * configuration loader used to reject {@code T2C_NATIVE_CACHE} as an unknown key).
 */
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path temp;

  @Test
  void theLauncherVariablesAndAConfigurationVariableWorkTogether() throws Exception {
    assumeTrue(
        Files.isRegularFile(ROOT.resolve("cli/target/sdk-cli.jar")),
        "cli/target/sdk-cli.jar is not built (the cli module's package phase makes it)");
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("sdk-cli").toString(), "info").redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("T2C_NATIVE_CACHE", temp.resolve("natives").toString());
    env.put("T2C_LOG_LEVEL", "error");
    env.put("JAVA_OPTS", "-Xmx256m");
    env.put("T2C_BACKEND", "onnx");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "sdk-cli info did not finish");
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("* onnx"), output);
  }
}

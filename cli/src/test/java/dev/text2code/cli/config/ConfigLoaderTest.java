package dev.text2code.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path temp;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void defaultsComeFromTheJar() {
    SdkConfig config = loader.load(null, Map.of(), Map.of());
    assertEquals("pytorch", config.backend());
    assertEquals(300, config.integer("training.max-steps", -1));
  }

  @Test
  void precedenceIsFileThenEnvironmentThenFlags() throws Exception {
    Path file = temp.resolve("run.conf");
    Files.writeString(
        file, "backend = tensorflow\ntraining { max-steps = 10 }\nmodel.layers = 3\n");
    SdkConfig fromFile = loader.load(file, Map.of(), Map.of());
    assertEquals("tensorflow", fromFile.backend());
    assertEquals(10, fromFile.integer("training.max-steps", -1));
    SdkConfig withEnv =
        loader.load(file, Map.of("T2C_BACKEND", "onnx", "T2C_TRAINING__MAX_STEPS", "20"), Map.of());
    assertEquals("onnx", withEnv.backend());
    assertEquals(20, withEnv.integer("training.max-steps", -1));
    SdkConfig withFlags =
        loader.load(file, Map.of("T2C_BACKEND", "onnx"), Map.of("backend", "pytorch"));
    assertEquals("pytorch", withFlags.backend());
    assertEquals(3, withFlags.integer("model.layers", -1));
  }

  @Test
  void yamlFilesAreRead() throws Exception {
    Path file = temp.resolve("run.yaml");
    Files.writeString(file, "# a run\nbackend: onnx\ntraining:\n  max-steps: 7   # short\n");
    SdkConfig config = loader.load(file, Map.of(), Map.of());
    assertEquals("onnx", config.backend());
    assertEquals(7, config.integer("training.max-steps", -1));
  }

  @Test
  void unknownKeysInAFileNameTheFileLineAndAClosestKey() throws Exception {
    Path file = temp.resolve("run.conf");
    Files.writeString(file, "backend = pytorch\ntraining {\n  max-step = 10\n}\n");
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> loader.load(file, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("training.max-step"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean training.max-steps"), e.getMessage());
  }

  @Test
  void wrongTypesAreRejectedWithTheExpectedType() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> loader.load(null, Map.of(), Map.of("training.max-steps", "many")));
    assertTrue(e.getMessage().contains("training.max-steps = many"), e.getMessage());
    assertTrue(e.getMessage().contains("expected a number"), e.getMessage());
  }

  @Test
  void unknownEnvironmentKeysAreRejectedButOtherVariablesIgnored() {
    assertEquals("pytorch", loader.load(null, Map.of("HOME", "/root"), Map.of()).backend());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> loader.load(null, Map.of("T2C_BAKEND", "onnx"), Map.of()));
    assertTrue(e.getMessage().contains("T2C_BAKEND"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> loader.load(temp.resolve("nope.conf"), Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
  }

  /** Every T2C_ variable the launcher script reads, as it spells them. */
  static java.util.Set<String> launcherVariables() throws Exception {
    Path script = Path.of("..", "sdk-cli");
    java.util.Set<String> names = new java.util.TreeSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("T2C_[A-Z0-9_]+").matcher(Files.readString(script));
    while (m.find()) names.add(m.group());
    return names;
  }

  @Test
  void theLauncherVariablesAreNotTakenForKeysAndKeysStillWork() throws Exception {
    java.util.Set<String> launcher = launcherVariables();
    assertEquals(ConfigLoader.LAUNCHER_VARIABLES, launcher, "the launcher reads exactly these");
    Map<String, String> env = new java.util.HashMap<>();
    for (String name : launcher) env.put(name, "/tmp/somewhere");
    env.put("T2C_TRAINING__MAX_STEPS", "7");
    SdkConfig config = loader.load(null, env, Map.of());
    assertEquals(7, config.integer("training.max-steps", -1));
    for (String name : launcher) {
      assertTrue(
          !loader.keys().contains(ConfigLoader.envToKey(name)),
          name + " must not name a configuration key");
    }
  }
}

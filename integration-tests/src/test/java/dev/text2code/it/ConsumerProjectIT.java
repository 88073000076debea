package dev.text2code.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK as a Maven dependency: a minimal consumer project imports the BOM, depends on sdk-api and
 * tokenizers, and builds and tests with {@code mvn verify}. This build's jars are installed into a
 * private local repository; third party artifacts come from the user's local repository, read as a
 * mirror, so the check runs offline.
 */
class ConsumerProjectIT {
  @TempDir Path temp;

  private static final String VERSION = "0.1.0-SNAPSHOT";

  @Test
  void aConsumerProjectBuildsAgainstTheSdk() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Path userRepo =
        Path.of(
            System.getProperty(
                "maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
    assumeTrue(Files.isDirectory(userRepo), "no local Maven repository at " + userRepo);
    for (String module : List.of("sdk-api", "tokenizers")) {
      assumeTrue(
          Files.isRegularFile(root.resolve(module + "/target/" + module + "-" + VERSION + ".jar")),
          module + " is not packaged yet (run the build through the package phase)");
    }
    Path repo = temp.resolve("repo");
    install(root, repo, "pom.xml", null, "text2code-parent");
    install(root, repo, "bom/pom.xml", null, "bom");
    for (String module : List.of("sdk-api", "tokenizers")) {
      install(
          root,
          repo,
          module + "/pom.xml",
          module + "/target/" + module + "-" + VERSION + ".jar",
          module);
    }
    Path project = temp.resolve("consumer");
    Files.createDirectories(project.resolve("src/test/java/example"));
    try (var in = getClass().getResourceAsStream("/consumer/pom.xml")) {
      Files.copy(in, project.resolve("pom.xml"));
    }
    try (var in = getClass().getResourceAsStream("/consumer/ConsumerTest.java")) {
      Files.copy(in, project.resolve("src/test/java/example/ConsumerTest.java"));
    }
    Path settings = temp.resolve("settings.xml");
    Files.writeString(
        settings,
        "<settings><mirrors><mirror><id>local-mirror</id><mirrorOf>*</mirrorOf><url>"
            + userRepo.toUri()
            + "</url></mirror></mirrors></settings>\n");
    Result result =
        mvn(root, project, "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + repo, "verify");
    assertEquals(0, result.exitCode, result.output);
    assertTrue(result.output.contains("Tests run: 1, Failures: 0, Errors: 0"), result.output);
  }

  record Result(int exitCode, String output) {}

  private void install(Path root, Path repo, String pom, String jar, String artifact)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("-B", "-q", "install:install-file"));
    args.add("-Dfile=" + root.resolve(jar != null ? jar : pom));
    args.add("-DpomFile=" + root.resolve(pom));
    args.add("-DlocalRepositoryPath=" + repo);
    Result r = mvn(root, root, args.toArray(String[]::new));
    assertEquals(0, r.exitCode, "installing " + artifact + ": " + r.output);
  }

  private Result mvn(Path root, Path directory, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("mvnw").toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("mvn.log").toFile())
            .start();
    if (!p.waitFor(8, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(-1, "timed out");
    }
    return new Result(
        p.exitValue(), Files.readString(temp.resolve("mvn.log"), StandardCharsets.UTF_8));
  }
}

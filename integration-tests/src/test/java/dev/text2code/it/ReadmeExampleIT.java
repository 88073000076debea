package dev.text2code.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "From Java" example, exactly as written there: its {@code tiny.conf} and its Java
 * class are cut out of README.md, compiled against this module's class path and run in a fresh JVM
 * in a directory holding the shipped pairs and starter problems.
 */
class ReadmeExampleIT {
  private static final Path README = Path.of("..", "README.md");

  @TempDir Path temp;

  /** The first fenced block of {@code language} in the README's "From Java" section. */
  private static String block(String section, String language) {
    Matcher m = Pattern.compile("(?s)```" + language + "\n(.*?)```").matcher(section);
    assertTrue(m.find(), "README.md's From Java section has no ```" + language + " block");
    return m.group(1);
  }

  @Test
  void theReadmeJavaExampleCompilesAndRuns() throws Exception {
    String readme = Files.readString(README);
    int at = readme.indexOf("## From Java");
    assertTrue(at >= 0, "README.md has no '## From Java' section");
    String section = readme.substring(at, readme.indexOf("\n## ", at + 5));
    String java = block(section, "java");
    assertTrue(java.lines().count() <= 20, "the example must stay within 20 lines:\n" + java);
    Files.writeString(temp.resolve("tiny.conf"), block(section, "hocon"));
    try (var in = getClass().getResourceAsStream("/pairs.jsonl")) {
      Files.copy(in, temp.resolve("pairs.jsonl"));
    }
    try (var in = getClass().getResourceAsStream("/dev/text2code/runs/starter-problems.jsonl")) {
      Files.copy(in, temp.resolve("problems.jsonl"));
    }
    Path source = temp.resolve("src/TinyRun.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, java);
    Path classes = Files.createDirectories(temp.resolve("classes"));
    String classPath = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of("-classpath", classPath, "-d", classes.toString()),
                null,
                javac
                    .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(source))
            .call();
    assertTrue(compiled, diagnostics.toString());

    // the example runs in a fresh JVM in temp, with this JVM's native-library settings
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Stream.of("ai.djl.offline", "DJL_CACHE_DIR", "onnxruntime.native.path")
        .filter(key -> System.getProperty(key) != null)
        .forEach(key -> command.add("-D" + key + "=" + System.getProperty(key)));
    command.addAll(List.of("-cp", classes + File.pathSeparator + classPath, "TinyRun"));
    Process process =
        new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the example did not finish:\n" + output);
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.matches("(?s).*trained 4 steps, pass@1 = \\d\\.\\d{4}\\s*"), output);
    assertTrue(Files.isRegularFile(temp.resolve("runs/tiny/checkpoint/model.safetensors")));
    assertEquals(3, Files.readAllLines(temp.resolve("runs/tiny/samples.jsonl")).size());
    assertTrue(Files.isRegularFile(temp.resolve("runs/tiny/report.html")));
  }
}

package dev.text2code.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SdkCliTest {
  record Run(int exitCode, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    CommandLine cli = SdkCli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void infoListsTheThreeBackendsAndMarksTheConfiguredOne() {
    Run r = run(Map.of(), "info");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("* pytorch"), r.out());
    assertTrue(r.out().contains("  tensorflow"), r.out());
    assertTrue(r.out().contains("  onnx"), r.out());
  }

  @Test
  void theBackendFlagAndTheEnvironmentSelect() {
    assertTrue(run(Map.of(), "--backend", "onnx", "info").out().contains("* onnx"));
    assertTrue(run(Map.of("T2C_BACKEND", "tensorflow"), "info").out().contains("* tensorflow"));
  }

  @Test
  void anUnknownBackendExitsNonZeroWithTheValidNames() {
    Run r = run(Map.of(), "--backend", "nosuch", "info");
    assertEquals(SdkCli.EXIT_USAGE, r.exitCode());
    assertTrue(
        r.err()
            .contains(
                "backend = nosuch is not valid; available backends: onnx, pytorch, tensorflow"),
        r.err());
  }

  @Test
  void versionAndHelpWork() {
    Run v = run(Map.of(), "--version");
    assertEquals(0, v.exitCode());
    assertTrue(v.out().startsWith("text2code sdk-cli "), v.out());
    Run h = run(Map.of(), "--help");
    assertEquals(0, h.exitCode());
    assertTrue(h.out().contains("info"), h.out());
  }

  @Test
  void anExpectedFailureIsOneLineWithoutAStackTrace() {
    Run r = run(Map.of(), "train", "--run", "target/no-run", "--corpus", "target/no-such-corpus");
    assertEquals(SdkCli.EXIT_USAGE, r.exitCode());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("no-such-corpus does not exist"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void anUnexpectedFailurePrintsOneLineAndWritesTheTraceToAFile() throws Exception {
    StringWriter err = new StringWriter();
    int code =
        SdkCli.unexpected(
            new IllegalStateException("boom\nsecond line"), new PrintWriter(err, true));
    assertEquals(SdkCli.EXIT_FAILURE, code);
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("java.lang.IllegalStateException: boom;"), err.toString());
    Matcher m = Pattern.compile("full stack trace in (\\S+)").matcher(err.toString());
    assertTrue(m.find(), err.toString());
    Path trace = Path.of(m.group(1));
    String text = Files.readString(trace);
    Files.delete(trace);
    assertTrue(text.contains("IllegalStateException: boom"), text);
    assertTrue(text.contains("\tat dev.text2code.cli.SdkCliTest"), text);
  }
}

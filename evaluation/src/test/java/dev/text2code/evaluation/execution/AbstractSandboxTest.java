package dev.text2code.evaluation.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile programs: each must get a verdict and leave the host intact (files outside untouched, no
 * stray process, the harness still answering). Destructive cases only run where the sandbox really
 * isolates (never with {@link Isolation#NONE}) and aim only at this test's temp dirs.
 *
 * <p>Verdicts must not depend on the machine's speed: samples get a generous wall-clock limit
 * ({@link #GENEROUS}); only the test of the time limit itself uses a short one. A class that forces
 * an isolation this machine cannot give is skipped with the reason, never run with less.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSandboxTest {
  /** A limit no sample here comes near on a busy machine, except the ones meant to hit it. */
  static final Duration GENEROUS = Duration.ofSeconds(30);

  private final ExecutionMode mode;
  private final Isolation isolation;
  private SandboxedExecutor executor;
  private Path workRoot;

  /** The cases under one execution mode and isolation (AUTO: the best this machine offers). */
  AbstractSandboxTest(ExecutionMode mode, Isolation isolation) {
    this.mode = mode;
    this.isolation = isolation;
  }

  /** The execution mode under test. */
  final ExecutionMode mode() {
    return mode;
  }

  /** The isolation under test. */
  final Isolation isolation() {
    return isolation;
  }

  @BeforeAll
  void start() throws java.io.IOException {
    SandboxConfig defaults = SandboxConfig.defaults();
    if (isolation() == Isolation.UNSHARE) {
      assumeTrue(
          ProcessHandle.current().info().user().map("root"::equals).orElse(false),
          "unshare isolation needs root");
      assumeTrue(
          Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare (util-linux) is not installed");
    }
    if (isolation() == Isolation.BUBBLEWRAP) {
      assumeTrue(
          SandboxedExecutor.findBubblewrap(defaults.bubblewrap()).isPresent(),
          "bubblewrap '"
              + defaults.bubblewrap()
              + "' not found: apt-get install bubblewrap, or name it with -D"
              + SandboxConfig.BUBBLEWRAP_PROPERTY
              + "=PATH");
    }
    workRoot = Files.createTempDirectory("t2c-sandbox-test");
    executor =
        SandboxedExecutor.create(
            defaults
                .withTimeout(GENEROUS)
                .withMemoryBytes(512L << 20)
                .withOutputBytes(64 * 1024)
                .withWorkers(2)
                .withWorkRoot(workRoot)
                .withMode(mode())
                .withIsolation(isolation()));
  }

  @AfterAll
  void stop() throws java.io.IOException {
    if (executor != null) {
      executor.close();
    }
    if (workRoot != null) {
      Files.deleteIfExists(workRoot);
    }
  }

  @AfterEach
  void hostIsIntact() {
    if (executor == null) {
      return;
    }
    assertEquals(List.of(), strayProcesses(), "no sandbox process may outlive its sample");
    ExecutionResult answer = executor.execute("assert sum(range(4)) == 6\n");
    assertEquals(Verdict.PASSED, answer.verdict(), "harness still answering: " + answer);
  }

  /** A sleep duration no other process on this machine uses: marks a sample's detached child. */
  private final String marker =
      "987." + ProcessHandle.current().pid() + (System.nanoTime() % 100_000);

  /**
   * Processes a sample left behind, looking only at this executor's sandboxes (other JVMs may be
   * running sandboxes at the same time): the marker child anywhere; with a fresh interpreter per
   * sample, any sandbox process at all; with fork servers, anything below them other than the
   * sandbox itself and its server.
   */
  private List<String> strayProcesses() {
    String root = workRoot.toString();
    List<String> stray = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .forEach(
            p -> {
              String line = p.info().commandLine().orElse("");
              if (line.contains(marker)) {
                stray.add(line);
              } else if (line.contains(root)) {
                if (mode() == ExecutionMode.FRESH_INTERPRETER) {
                  stray.add(line);
                }
                p.descendants()
                    .map(d -> d.info().commandLine().orElse("?"))
                    .filter(d -> !d.contains(root) && !d.contains("/t2c/server.py"))
                    .forEach(stray::add);
              }
            });
    return stray;
  }

  private void assumeIsolated() {
    assumeTrue(
        executor.isolation() != Isolation.NONE,
        "destructive cases need a working sandbox: " + executor.isolationWarning().orElse(""));
  }

  @Test
  void passingAndFailingProgramsGetHumanEvalResultStrings() {
    assertEquals(
        "passed", executor.execute("def f():\n    return 1\nassert f() == 1\n").resultText());
    ExecutionResult failed = executor.execute("assert 1 == 2, 'one is not two'\n");
    assertEquals("failed: AssertionError: one is not two", failed.resultText());
    assertTrue(executor.execute("def broken(:\n").reason().startsWith("SyntaxError"));
  }

  /**
   * The isolation in force is the strongest this machine offers: a forced one as asked; AUTO picks
   * bubblewrap where it is found, else (as root) the unshare fallback: a failing fallback is an
   * error here, never a silent run without isolation.
   */
  @Test
  void isolationIsTheStrongestThisMachineOffers() {
    boolean bubblewrap =
        SandboxedExecutor.findBubblewrap(executor.config().bubblewrap()).isPresent();
    boolean root = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
    Isolation expected =
        isolation() != Isolation.AUTO
            ? isolation()
            : bubblewrap ? Isolation.BUBBLEWRAP : root ? Isolation.UNSHARE : Isolation.NONE;
    assertEquals(expected, executor.isolation(), executor.isolationWarning().orElse(""));
    assertEquals(
        expected == Isolation.NONE,
        executor.isolationWarning().orElse("").contains("WITHOUT namespace isolation"),
        executor.isolationWarning().orElse("(no warning)"));
  }

  @Test
  void exitingBeforeTheEndIsNotAPass() {
    ExecutionResult result = executor.execute("import os\nos._exit(0)\nassert False\n");
    assertEquals(Verdict.FAILED, result.verdict(), result.toString());
    assertEquals("exit status 0 before the program's end", result.reason());
    assertEquals(
        "failed: SystemExit: 0", executor.execute("import sys\nsys.exit(0)\n").resultText());
  }

  @Test
  void printedOutputIsKeptWithoutHarnessMarkers() {
    ExecutionResult result = executor.execute("print('hello from the sample')\n");
    assertEquals(Verdict.PASSED, result.verdict(), result.toString());
    assertEquals("hello from the sample\n", result.output());
  }

  @Test
  void stdinIsClosed() {
    ExecutionResult result = executor.execute("input('name? ')\n");
    assertEquals(Verdict.FAILED, result.verdict());
    assertTrue(result.reason().startsWith("EOFError"), result.toString());
  }

  @Test
  void infiniteLoopTimesOut() {
    ExecutionResult result = executor.execute("while True:\n    pass\n", Duration.ofSeconds(1));
    assertEquals(Verdict.TIMED_OUT, result.verdict(), result.toString());
    assertEquals("timed out", result.resultText());
    assertTrue(result.wallTime().compareTo(GENEROUS) < 0, "its own limit applied: " + result);
  }

  /** Fork bombs and escaping children need a pid namespace or a cgroup to be reaped. */
  private void assumeContained() {
    assumeTrue(
        executor.isolation() != Isolation.NONE || executor.usesCgroups(),
        "without namespaces or cgroups escaped processes cannot be found");
  }

  @Test
  void forkBombIsContainedAndReaped() {
    assumeContained();
    ExecutionResult result =
        executor.execute(
            "import os, time\n"
                + "while True:\n"
                + "    try:\n"
                + "        os.fork()\n"
                + "    except OSError:\n"
                + "        time.sleep(0.01)\n",
            Duration.ofSeconds(2));
    // it never ends on its own: the verdict is a time-out (or a failure), whatever the speed
    assertFalse(result.passed(), result.toString());
  }

  @Test
  void detachedChildIsKilledWhenTheSampleEnds() {
    assumeContained();
    ExecutionResult result =
        executor.execute(
            "import subprocess\n"
                + "subprocess.Popen(['sleep', '"
                + marker
                + "'], start_new_session=True,"
                + " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n");
    assertEquals(Verdict.PASSED, result.verdict(), result.toString());
  }

  @Test
  void killingItsParentOnlyCostsTheSampleItsVerdict() {
    assumeIsolated();
    ExecutionResult result =
        executor.execute(
            "import os, signal, time\n"
                + "os.kill(os.getppid(), signal.SIGKILL)\n"
                + "time.sleep(0.3)\n");
    if (mode() == ExecutionMode.FORK_SERVER && executor.isolation() == Isolation.BUBBLEWRAP) {
      // its parent is the worker's fork server: the worker dies, is restarted for the next sample
      assertEquals(Verdict.FAILED, result.verdict(), result.toString());
      assertEquals("the sandbox worker died during this sample", result.reason());
    } else {
      // its parent is its pid namespace's init (bwrap's, or the fork server itself under
      // unshare), which a SIGKILL from inside the namespace cannot stop
      assertEquals(Verdict.PASSED, result.verdict(), result.toString());
    }
  }

  @Test
  void memoryBombFailsWithMemoryError() {
    ExecutionResult result =
        executor.execute("blocks = []\nwhile True:\n    blocks.append(bytearray(128 << 20))\n");
    assertEquals(Verdict.FAILED, result.verdict(), result.toString());
    assertTrue(result.reason().startsWith("MemoryError"), result.toString());
  }

  @Test
  void removingFilesOutsideTheSandboxHasNoEffect(@TempDir Path outside) throws IOException {
    assumeIsolated();
    Path victim = Files.writeString(outside.resolve("victim.txt"), "keep me");
    ExecutionResult result =
        executor.execute(
            "import os, shutil, subprocess\n"
                + "target = "
                + pythonString(outside.toString())
                + "\n"
                + "shutil.rmtree(target, ignore_errors=True)\n"
                + "subprocess.run(['rm', '-rf', target], stderr=subprocess.DEVNULL)\n"
                + "subprocess.run(['sh', '-c', 'rm -rf ../* /t2c'], stderr=subprocess.DEVNULL)\n");
    assertEquals(Verdict.PASSED, result.verdict(), result.toString());
    assertEquals("keep me", Files.readString(victim));
  }

  @Test
  void writesOutsideTheWorkingDirectoryNeverReachTheHost(@TempDir Path outside) throws IOException {
    assumeIsolated();
    Path victim = Files.writeString(outside.resolve("victim.txt"), "keep me");
    String name = "t2c-escape-" + marker;
    List<Path> targets =
        List.of(
            Path.of("/tmp", name),
            Path.of("/var/tmp", name),
            Path.of("/dev/shm", name),
            outside.resolve(name),
            Path.of(System.getProperty("user.home"), name),
            Path.of(System.getProperty("user.dir"), name));
    StringBuilder program = new StringBuilder("import os\nwritten = []\n");
    for (Path target : targets) {
      program
          .append("try:\n    os.makedirs(os.path.dirname(")
          .append(pythonString(target.toString()))
          .append("), exist_ok=True)\n    open(")
          .append(pythonString(target.toString()))
          .append(", 'w').write('escaped')\n    written.append(1)\nexcept OSError:\n    pass\n")
          .append("try:\n    open(")
          .append(pythonString(victim.toString()))
          .append(", 'w').write('overwritten')\nexcept OSError:\n    pass\n");
    }
    program.append("print(len(written))\n");
    ExecutionResult result = executor.execute(program.toString());
    assertEquals(Verdict.PASSED, result.verdict(), result.toString());
    for (Path target : targets) {
      assertFalse(Files.exists(target), "the sample wrote on the host: " + target);
    }
    assertEquals("keep me", Files.readString(victim));
  }

  @Test
  void fillingTheDiskStopsAtTheSandboxesOwnSmallFileSystems() throws IOException {
    assumeIsolated();
    ExecutionResult result =
        executor.execute(
            "import os\n"
                + "total = 0\n"
                + "try:\n"
                + "    for where in ('/tmp', '/var/tmp', '/dev/shm', '.'):\n"
                + "        for i in range(100000):\n"
                + "            with open(os.path.join(where, 'fill%d' % i), 'wb') as f:\n"
                + "                f.write(b'x' * 60000)\n"
                + "            total += 60000\n"
                + "finally:\n"
                + "    print(total)\n");
    assertEquals(Verdict.FAILED, result.verdict(), result.toString());
    assertTrue(result.reason().startsWith("OSError"), result.toString());
    long written = Long.parseLong(result.output().strip().lines().reduce((a, b) -> b).orElse("0"));
    assertTrue(written <= 256L << 20, "wrote " + written + " bytes: not bounded by a small tmpfs");
  }

  @Test
  void secretFilesOutsideTheInterpretersTreeAreNotReadable() throws IOException {
    assumeIsolated();
    // a file away from /tmp, next to the build: only the interpreter's tree may be visible
    Path secret = Path.of("target", "t2c-secret-" + marker).toAbsolutePath();
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, "s3cr3t-value");
    try {
      ExecutionResult result =
          executor.execute(
              "import os\n" + "print(open(" + pythonString(secret.toString()) + ").read())\n");
      assertEquals(Verdict.FAILED, result.verdict(), result.toString());
      assertTrue(result.reason().startsWith("FileNotFoundError"), result.toString());
      assertFalse(result.output().contains("s3cr3t-value"));
      ExecutionResult listing = executor.execute("import os\nprint(sorted(os.listdir('/')))\n");
      assertEquals(Verdict.PASSED, listing.verdict(), listing.toString());
      assertFalse(listing.output().contains("'home'"), listing.output());
      assertFalse(
          executor.execute("open('/etc/hostname').read()\n").passed(), "/etc is not visible");
    } finally {
      Files.delete(secret);
    }
  }

  @Test
  void hostFilesAreNotReadable(@TempDir Path outside) throws IOException {
    assumeIsolated();
    Path secret = Files.writeString(outside.resolve("secret.txt"), "s3cr3t-value");
    ExecutionResult result =
        executor.execute("print(open(" + pythonString(secret.toString()) + ").read())\n");
    assertEquals(Verdict.FAILED, result.verdict(), result.toString());
    assertFalse(result.output().contains("s3cr3t-value"));
  }

  @Test
  void socketConnectionsDoNotLeaveTheSandbox() throws IOException {
    assumeIsolated();
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      ExecutionResult result =
          executor.execute(
              "import socket\n"
                  + "socket.create_connection(('127.0.0.1', "
                  + server.getLocalPort()
                  + "), timeout=1).sendall(b'escaped')\n");
      assertEquals(Verdict.FAILED, result.verdict(), result.toString());
      assertTrue(result.reason().contains("Error"), result.toString());
      server.setSoTimeout(200);
      try {
        server.accept().close();
        throw new AssertionError("the sample reached a host socket");
      } catch (SocketTimeoutException expected) {
        // nothing connected
      }
    }
  }

  @Test
  void environmentVariablesOfTheHostAreNotVisible() {
    ExecutionResult result =
        executor.execute("import os\nfor k, v in sorted(os.environ.items()):\n    print(k, v)\n");
    assertEquals(Verdict.PASSED, result.verdict(), result.toString());
    List<String> allowed =
        List.of(
            "PATH",
            "HOME",
            "LANG",
            "PYTHONHASHSEED",
            "PYTHONDONTWRITEBYTECODE",
            "OMP_NUM_THREADS",
            "PWD",
            "OPENBLAS_NUM_THREADS",
            "MKL_NUM_THREADS",
            "LC_CTYPE");
    for (String line : result.output().strip().split("\n")) {
      String key = line.split(" ", 2)[0];
      assertTrue(allowed.contains(key), "unexpected variable in the sandbox: " + line);
    }
    for (Map.Entry<String, String> host : System.getenv().entrySet()) {
      if (!allowed.contains(host.getKey()) && host.getValue().length() >= 8) {
        assertFalse(result.output().contains(host.getValue()), "leaked " + host.getKey());
      }
    }
  }

  @Test
  void hugeOutputIsCappedAndFails() {
    ExecutionResult result = executor.execute("while True:\n    print('x' * 10000)\n");
    assertEquals(Verdict.FAILED, result.verdict(), result.toString());
    assertEquals("output exceeded 65536 bytes", result.reason());
    assertTrue(result.output().length() <= 4096);
  }

  @Test
  void parallelRunsKeepInputOrder() {
    List<String> programs =
        List.of("assert True\n", "assert False\n", "import time; time.sleep(0.2)\n", "x = 1\n");
    List<ExecutionResult> results = executor.executeAll(programs);
    assertEquals(
        List.of(Verdict.PASSED, Verdict.FAILED, Verdict.PASSED, Verdict.PASSED),
        results.stream().map(ExecutionResult::verdict).toList());
  }

  private static String pythonString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}

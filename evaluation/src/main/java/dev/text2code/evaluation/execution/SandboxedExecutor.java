package dev.text2code.evaluation.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.CodeExecutionException;
import dev.text2code.evaluation.problems.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Runs untrusted Python programs, each in its own fresh, single-use interpreter: the security
 * boundary of the SDK.
 *
 * <p>Per sample: a private temporary directory; stdin from /dev/null; a minimal environment (no
 * inherited variable); combined stdout+stderr into a file capped by RLIMIT_FSIZE; RLIMIT_AS,
 * RLIMIT_CPU and RLIMIT_CORE=0 set by the runner before the program starts; a wall-clock timeout
 * after which every process of the sample is killed. Isolation ({@link Isolation}): bubblewrap (new
 * user/pid/net/ipc/uts/cgroup namespaces, only the interpreter and system libraries visible,
 * read-only, private tmpfs) where it works, else {@code unshare} with new mount, pid, network, ipc
 * and uts namespaces, the same file system view (built by {@code sandbox_root.sh}) and an
 * unprivileged uid as root, else none with a loud warning. As root, RLIMIT_NPROC is ignored by the
 * kernel, so each sample also gets its own cgroup v1 {@code pids} (and {@code memory}) group where
 * those are writable: that contains fork bombs and lets every leftover process be found and killed.
 *
 * <p>{@link ExecutionMode#FORK_SERVER} (default): each worker keeps one sandbox whose server
 * interpreter forks a fresh child per sample (limits set in the child, every other process of the
 * sandbox killed and the sample's files removed afterwards, a watchdog restarting a worker that
 * stops answering); {@link ExecutionMode#FRESH_INTERPRETER}: a new sandbox, interpreter and cgroup
 * per sample.
 *
 * <p>Thread-safe; {@link #executeAll} runs {@link SandboxConfig#workers()} samples in parallel.
 */
public final class SandboxedExecutor implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SandboxedExecutor.class.getName());
  private static final String MARKER = "__T2C_VERDICT__ ";
  private static final int KEPT_OUTPUT = 4096;
  private static final long TMPFS_BYTES = 64L << 20;
  private static final int NOBODY = 65534;

  private final SandboxConfig config;
  private final PythonInterpreter python;
  private final Isolation isolation;
  private final String warning;
  private final Path workRoot;
  private final Path runner;
  private final Path rootScript;
  private final Optional<Path> bubblewrap;
  private final Map<String, Path> cgroupParents;
  private final ExecutorService pool;
  private final AtomicLong sampleCounter = new AtomicLong();
  private final Path server;
  private final BlockingQueue<ServerSlot> slots;
  private final ScheduledExecutorService timer;

  private SandboxedExecutor(SandboxConfig config) {
    this.config = config;
    this.python = PythonInterpreter.probe(config.interpreter());
    try {
      Path base =
          config.workRoot() == null
              ? Path.of(System.getProperty("java.io.tmpdir"))
              : config.workRoot();
      Files.createDirectories(base);
      this.workRoot = Files.createTempDirectory(base, "t2c-sandbox-");
      // nobody (UNSHARE mode) must traverse into its own sample directory, not list the others.
      Files.setPosixFilePermissions(workRoot, PosixFilePermissions.fromString("rwx--x--x"));
      this.runner = workRoot.resolve("sandbox_runner.py");
      try (InputStream in = SandboxedExecutor.class.getResourceAsStream("sandbox_runner.py")) {
        Files.write(runner, in.readAllBytes());
      }
      Files.setPosixFilePermissions(runner, PosixFilePermissions.fromString("rw-r--r--"));
      this.server = workRoot.resolve("sandbox_server.py");
      try (InputStream in = SandboxedExecutor.class.getResourceAsStream("sandbox_server.py")) {
        Files.write(server, in.readAllBytes());
      }
      Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rw-r--r--"));
      this.rootScript = workRoot.resolve("sandbox_root.sh");
      try (InputStream in = SandboxedExecutor.class.getResourceAsStream("sandbox_root.sh")) {
        Files.write(rootScript, in.readAllBytes());
      }
    } catch (IOException e) {
      throw new CodeExecutionException("cannot prepare the sandbox work directory: " + e, e);
    }
    this.cgroupParents = createCgroupParents();
    this.bubblewrap = findBubblewrap(config.bubblewrap());
    Isolation chosen = null;
    String problem = "";
    List<Isolation> candidates =
        config.isolation() == Isolation.AUTO
            ? List.of(Isolation.BUBBLEWRAP, Isolation.UNSHARE)
            : config.isolation() == Isolation.NONE ? List.of() : List.of(config.isolation());
    for (Isolation candidate : candidates) {
      if (candidate == Isolation.BUBBLEWRAP && bubblewrap.isEmpty()) {
        problem += candidate + ": '" + config.bubblewrap() + "' not found; ";
        continue;
      }
      if (candidate == Isolation.UNSHARE && !isRoot()) {
        problem += candidate + ": needs root (it builds mount namespaces); ";
        continue;
      }
      ExecutionResult probe = run("import sys\n", candidate, Duration.ofSeconds(30));
      if (probe.passed()) {
        chosen = candidate;
        break;
      }
      problem += candidate + ": " + probe.resultText() + " " + probe.output().strip() + "; ";
    }
    if (chosen == null
        && config.isolation() != Isolation.AUTO
        && config.isolation() != Isolation.NONE) {
      throw new CodeExecutionException(
          "sandbox isolation "
              + config.isolation()
              + " does not work on this machine: "
              + problem
              + "install bubblewrap (apt-get install bubblewrap), run as root for UNSHARE, or set"
              + " isolation to AUTO");
    }
    this.isolation = chosen == null ? Isolation.NONE : chosen;
    String message = "";
    if (isolation == Isolation.NONE) {
      message =
          "SANDBOX WARNING: generated code will run WITHOUT namespace isolation (no network cut,"
              + " host files reachable); only limits and timeouts apply. "
              + (problem.isEmpty() ? "Isolation NONE was requested." : "Tried: " + problem)
              + " Install bubblewrap (apt-get install bubblewrap) to fix this.";
    } else if (cgroupParents.isEmpty() && isolation == Isolation.BUBBLEWRAP && isRoot()) {
      message =
          "SANDBOX WARNING: cgroup v1 pids/memory groups are not writable; as root the kernel"
              + " ignores RLIMIT_NPROC, so only bubblewrap's pid namespace contains fork bombs.";
    }
    this.warning = message;
    if (!message.isEmpty()) {
      LOG.log(Level.WARNING, message);
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "t2c-sandbox-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    this.slots = new ArrayBlockingQueue<>(config.workers());
    for (int i = 0; i < config.workers(); i++) {
      slots.add(new ServerSlot(i));
    }
    this.pool =
        Executors.newFixedThreadPool(
            config.workers(),
            task -> {
              Thread thread = new Thread(task, "t2c-sandbox-worker");
              thread.setDaemon(true);
              return thread;
            });
    if (config.mode() == ExecutionMode.FORK_SERVER) {
      startServers();
    }
  }

  /** Starts every worker's fork server in parallel, so misconfiguration fails here, early. */
  private void startServers() {
    List<Future<?>> started = new ArrayList<>();
    for (ServerSlot slot : slots) {
      started.add(pool.submit(slot::restart));
    }
    try {
      for (Future<?> future : started) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new CodeExecutionException("interrupted while starting sandbox workers", e);
    } catch (ExecutionException e) {
      close();
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new CodeExecutionException(
              "cannot start sandbox workers: " + e.getCause(), e.getCause());
    }
  }

  /** Probes the interpreter and the isolation modes; fails if a named mode does not work. */
  public static SandboxedExecutor create(SandboxConfig config) {
    return new SandboxedExecutor(config);
  }

  public SandboxConfig config() {
    return config;
  }

  public PythonInterpreter interpreter() {
    return python;
  }

  /** The isolation actually in force (AUTO resolved). */
  public Isolation isolation() {
    return isolation;
  }

  /** A warning when isolation is weaker than bubblewrap + cgroups; empty otherwise. */
  public Optional<String> isolationWarning() {
    return warning.isEmpty() ? Optional.empty() : Optional.of(warning);
  }

  /** Whether per-sample pids/memory cgroups are in use. */
  public boolean usesCgroups() {
    return !cgroupParents.isEmpty();
  }

  /** Runs one program in a fresh sandboxed interpreter and waits for its verdict. */
  public ExecutionResult execute(String program) {
    return execute(program, config.timeout());
  }

  /**
   * Runs one program with its own wall-clock limit (the CPU-time limit follows it, as {@link
   * SandboxConfig#cpuSeconds(Duration)}) instead of {@link SandboxConfig#timeout()}.
   */
  public ExecutionResult execute(String program, Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new dev.text2code.api.ConfigurationException(
          "sample time limit " + timeout + " is not valid; expected a positive duration");
    }
    if (config.mode() == ExecutionMode.FRESH_INTERPRETER) {
      return run(program, isolation, timeout);
    }
    ServerSlot slot;
    try {
      slot = slots.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CodeExecutionException("interrupted while waiting for a sandbox worker", e);
    }
    try {
      return slot.run(program, timeout);
    } finally {
      slots.add(slot);
    }
  }

  /** One worker: a fork server (started lazily, restarted after it dies) and its cgroups. */
  private final class ServerSlot {
    private final int id;
    private ForkServer current;
    private Map<String, Path> cgroups = Map.of();
    private Path directory;

    ServerSlot(int id) {
      this.id = id;
    }

    ExecutionResult run(String program, Duration timeout) {
      if (current == null || !current.usable()) {
        restart();
      }
      ObjectNode request = JsonLines.newObject();
      request.put("program", program);
      request.put("timeout", timeout.toNanos() / 1e9);
      request.put("memory", config.memoryBytes());
      request.put("cpu", SandboxConfig.cpuSeconds(timeout));
      request.put("file_size", config.outputBytes());
      request.put("processes", config.maxProcesses());
      request.put(
          "scratch", privateRoot(isolation) ? "/tmp" : directory.resolve("scratch").toString());
      if (privateRoot(isolation)) {
        ArrayNode wipe = request.putArray("wipe");
        List.of("/tmp", "/var/tmp", "/dev/shm").forEach(wipe::add);
      }
      long started = System.nanoTime();
      JsonNode answer = current.call(request.toString(), timer, timeout.toMillis() + 10_000);
      Duration wall = Duration.ofNanos(System.nanoTime() - started);
      if (answer == null) {
        boolean watchdog = current.killedByWatchdog();
        close();
        return watchdog
            ? new ExecutionResult(Verdict.TIMED_OUT, "sandbox worker stopped answering", "", wall)
            : new ExecutionResult(
                Verdict.FAILED, "the sandbox worker died during this sample", "", wall);
      }
      if (isolation == Isolation.NONE) {
        sweepStrays();
      }
      return interpret(answer, wall, timeout);
    }

    /**
     * Without a pid namespace the server can only kill the sample's session; anything that left it
     * (a double fork + setsid) is still in the worker's cgroup, where this finds and kills it.
     */
    private void sweepStrays() {
      Path group = cgroups.get("pids");
      if (group == null) {
        return;
      }
      long serverPid = current.pid();
      for (int round = 0; round < 100; round++) {
        List<Long> strays = members(group).stream().filter(pid -> pid != serverPid).toList();
        if (strays.isEmpty()) {
          return;
        }
        strays.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        sleepQuietly(2);
      }
    }

    private void restart() {
      close();
      try {
        directory = workRoot.resolve("w" + id + "-" + sampleCounter.incrementAndGet());
        Files.createDirectory(directory);
        Path scratch = Files.createDirectory(directory.resolve("scratch"));
        Files.createDirectory(directory.resolve("root"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
        cgroups =
            createGroups(
                directory.getFileName().toString(),
                config.maxProcesses() + 8,
                config.memoryBytes() + (512L << 20) + 3 * TMPFS_BYTES);
      } catch (IOException e) {
        throw new CodeExecutionException("cannot prepare a sandbox worker: " + e, e);
      }
      List<String> command = new ArrayList<>(cgroupWrapper(cgroups));
      command.addAll(
          isolationPrefix(
              isolation,
              directory.resolve("root"),
              List.<Path[]>of(new Path[] {server, Path.of("/t2c/server.py")})));
      command.add(privateRoot(isolation) ? "/t2c/server.py" : server.toString());
      command.add(isolation == Isolation.NONE ? "0" : "1");
      command.add(String.join(",", PRELOADED_MODULES));
      python.siteDirectories().forEach(dir -> command.add(dir.toString()));
      current =
          ForkServer.start(
              command,
              sandboxEnvironment(privateRoot(isolation) ? "/tmp" : directory.toString()),
              directory,
              cgroups,
              timer,
              60_000);
    }

    void close() {
      if (current != null) {
        current.close();
        current = null;
      }
      removeCgroups(cgroups.values());
      cgroups = Map.of();
      if (directory != null) {
        deleteTree(directory);
        directory = null;
      }
    }
  }

  private ExecutionResult interpret(JsonNode answer, Duration wall, Duration timeout) {
    String output = answer.path("output").asText("");
    String verdict = answer.path("verdict").asText("");
    int signal = answer.path("signal").asInt();
    if (answer.path("timed_out").asBoolean()) {
      return new ExecutionResult(Verdict.TIMED_OUT, "wall-clock limit " + timeout, output, wall);
    }
    if (answer.path("output_size").asLong() >= config.outputBytes()) {
      return new ExecutionResult(
          Verdict.FAILED, "output exceeded " + config.outputBytes() + " bytes", output, wall);
    }
    if (verdict.equals("passed")) {
      return new ExecutionResult(Verdict.PASSED, "", output, wall);
    }
    if (verdict.startsWith("failed: ")) {
      return new ExecutionResult(Verdict.FAILED, verdict.substring(8), output, wall);
    }
    if (signal == 24) {
      return new ExecutionResult(Verdict.TIMED_OUT, "CPU-time limit", output, wall);
    }
    return new ExecutionResult(
        Verdict.FAILED,
        signal > 0
            ? "killed by signal " + signal
            : "exit status " + answer.path("exit").asInt() + " before the program's end",
        output,
        wall);
  }

  /** Modules the fork server imports once, so samples start with them loaded. */
  private static final List<String> PRELOADED_MODULES =
      List.of(
          "typing",
          "math",
          "re",
          "collections",
          "itertools",
          "functools",
          "heapq",
          "bisect",
          "string",
          "hashlib",
          "random",
          "statistics",
          "fractions",
          "decimal",
          "copy",
          "operator",
          "datetime",
          "json");

  private static List<String> cgroupWrapper(Map<String, Path> cgroups) {
    if (cgroups.isEmpty()) {
      return List.of();
    }
    // Join the groups before anything untrusted exists, then become the sandbox.
    return List.of(
        "/bin/sh",
        "-c",
        "for g in \"$1\" \"$2\"; do [ -z \"$g\" ] || echo $$ > \"$g/cgroup.procs\" ||"
            + " exit 125; done; shift 2; exec \"$@\"",
        "t2c-sandbox",
        cgroups.getOrDefault("pids", Path.of("")).toString(),
        cgroups.getOrDefault("memory", Path.of("")).toString());
  }

  /** A pids (and memory) cgroup named {@code name} under this executor's parents. */
  private Map<String, Path> createGroups(String name, int pids, long memoryBytes)
      throws IOException {
    Map<String, Path> groups = new LinkedHashMap<>();
    for (Map.Entry<String, Path> parent : cgroupParents.entrySet()) {
      Path group = parent.getValue().resolve(name);
      Files.createDirectory(group);
      groups.put(parent.getKey(), group);
      if (parent.getKey().equals("pids")) {
        Files.writeString(group.resolve("pids.max"), Integer.toString(pids));
      } else {
        Files.writeString(group.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
      }
    }
    return groups;
  }

  /** Runs every program, {@code workers} at a time; results in input order. */
  public List<ExecutionResult> executeAll(List<String> programs) {
    List<ExecutionResult> results = new ArrayList<>(programs.size());
    for (int i = 0; i < programs.size(); i++) {
      results.add(null);
    }
    executeAll(programs, (index, result) -> results.set(index, result));
    return results;
  }

  /**
   * Runs every program, {@code workers} at a time, calling {@code onResult(index, result)} as each
   * finishes (from worker threads, one call at a time).
   */
  public void executeAll(List<String> programs, BiConsumer<Integer, ExecutionResult> onResult) {
    executeAll(
        programs, java.util.Collections.nCopies(programs.size(), config.timeout()), onResult);
  }

  /**
   * Runs every program with its own wall-clock limit ({@code timeouts}, parallel to {@code
   * programs}), {@code workers} at a time, calling {@code onResult(index, result)} as each ends.
   */
  public void executeAll(
      List<String> programs,
      List<Duration> timeouts,
      BiConsumer<Integer, ExecutionResult> onResult) {
    if (timeouts.size() != programs.size()) {
      throw new IllegalArgumentException(
          timeouts.size() + " time limits for " + programs.size() + " programs");
    }
    Object lock = new Object();
    List<Future<?>> futures = new ArrayList<>(programs.size());
    for (int i = 0; i < programs.size(); i++) {
      int index = i;
      String program = programs.get(i);
      Duration timeout = timeouts.get(i);
      futures.add(
          pool.submit(
              () -> {
                ExecutionResult result = execute(program, timeout);
                synchronized (lock) {
                  onResult.accept(index, result);
                }
              }));
    }
    try {
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new CodeExecutionException("interrupted while executing samples", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new CodeExecutionException("sample execution failed: " + e.getCause(), e.getCause());
    }
  }

  private ExecutionResult run(String program, Isolation mode, Duration timeout) {
    long id = sampleCounter.incrementAndGet();
    Path sampleDir = workRoot.resolve("s" + id);
    Map<String, Path> cgroups = new LinkedHashMap<>();
    long started = System.nanoTime();
    Process process = null;
    try {
      Files.createDirectory(sampleDir);
      Path work = sampleDir.resolve("work");
      Files.createDirectory(work);
      Path programFile = sampleDir.resolve("program.py");
      Files.writeString(programFile, program, StandardCharsets.UTF_8);
      Path outputFile = sampleDir.resolve("output");
      Files.setPosixFilePermissions(programFile, PosixFilePermissions.fromString("rw-r--r--"));
      Files.createDirectory(sampleDir.resolve("root"));
      // Room above RLIMIT_AS for the private tmpfs mounts, whose pages are charged to the group.
      cgroups.putAll(
          createGroups(
              "s" + id, config.maxProcesses() + 8, config.memoryBytes() + 3 * TMPFS_BYTES));
      List<String> command = new ArrayList<>(cgroupWrapper(cgroups));
      command.addAll(sandboxCommand(mode, sampleDir, programFile, timeout));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(outputFile.toFile()));
      builder.environment().clear();
      builder
          .environment()
          .putAll(sandboxEnvironment(privateRoot(mode) ? "/tmp" : work.toString()));
      process = builder.start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Duration wall = Duration.ofNanos(System.nanoTime() - started);
      killEverything(process, cgroups);
      long outputSize = Files.size(outputFile);
      String output = readHead(outputFile);
      if (!finished) {
        output = withoutMarkers(output);
      }
      if (!finished) {
        return new ExecutionResult(Verdict.TIMED_OUT, "wall-clock limit " + timeout, output, wall);
      }
      int status = process.exitValue();
      if (outputSize >= config.outputBytes()) {
        return new ExecutionResult(
            Verdict.FAILED, "output exceeded " + config.outputBytes() + " bytes", output, wall);
      }
      String reason = markedReason(outputFile, outputSize);
      output = withoutMarkers(output);
      if (status == 0 && reason.equals("passed")) {
        return new ExecutionResult(Verdict.PASSED, "", output, wall);
      }
      if (!reason.isEmpty() && !reason.equals("passed")) {
        return new ExecutionResult(Verdict.FAILED, reason, output, wall);
      }
      if (status == 128 + 24) {
        return new ExecutionResult(Verdict.TIMED_OUT, "CPU-time limit", output, wall);
      }
      if (status == 128 + 9 && memoryLimitHit(cgroups)) {
        return new ExecutionResult(Verdict.FAILED, "MemoryError: memory limit", output, wall);
      }
      if (status == 125 && !cgroups.isEmpty() && output.isEmpty()) {
        throw new CodeExecutionException("could not place a sample into its cgroup " + cgroups);
      }
      return new ExecutionResult(
          Verdict.FAILED,
          status > 128
              ? "killed by signal " + (status - 128)
              : "exit status " + status + " before the program's end",
          output,
          wall);
    } catch (IOException e) {
      throw new CodeExecutionException("the sandbox could not run a sample: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CodeExecutionException("interrupted while a sample was running", e);
    } finally {
      if (process != null && process.isAlive()) {
        killEverything(process, cgroups);
      }
      removeCgroups(cgroups.values());
      deleteTree(sampleDir);
    }
  }

  private List<String> sandboxCommand(
      Isolation mode, Path sampleDir, Path program, Duration timeout) {
    List<String> command =
        isolationPrefix(
            mode,
            sampleDir.resolve("root"),
            List.of(
                new Path[] {runner, Path.of("/t2c/runner.py")},
                new Path[] {program, Path.of("/t2c/program.py")}));
    command.add(privateRoot(mode) ? "/t2c/runner.py" : runner.toString());
    command.add(privateRoot(mode) ? "/t2c/program.py" : program.toString());
    command.add(Long.toString(config.memoryBytes()));
    command.add(Long.toString(SandboxConfig.cpuSeconds(timeout)));
    command.add(Long.toString(config.outputBytes()));
    command.add(Integer.toString(config.maxProcesses()));
    python.siteDirectories().forEach(dir -> command.add(dir.toString()));
    return command;
  }

  /** Whether the isolation gives the sample its own root (paths /t2c/..., /tmp inside). */
  private static boolean privateRoot(Isolation mode) {
    return mode == Isolation.BUBBLEWRAP || mode == Isolation.UNSHARE;
  }

  /**
   * What a private root holds, as {kind, host path or link target, sandbox path}: read-only binds
   * ("bind") of /usr, the top-level system directories (or their symlinks, "link"), the dynamic
   * linker's cache, the interpreter's prefixes and site directories, the configured extra paths,
   * and {@code binds}. Nothing else of the host is visible.
   */
  private List<String[]> visibleEntries(List<Path[]> binds) {
    List<String[]> entries = new ArrayList<>();
    entries.add(new String[] {"bind", "/usr", "/usr"});
    for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
      Path path = Path.of(top);
      try {
        if (Files.isSymbolicLink(path)) {
          entries.add(new String[] {"link", Files.readSymbolicLink(path).toString(), top});
        } else if (Files.isDirectory(path)) {
          entries.add(new String[] {"bind", top, top});
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String etc : List.of("/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives")) {
      if (Files.exists(Path.of(etc))) {
        entries.add(new String[] {"bind", etc, etc});
      }
    }
    List<Path> visible = new ArrayList<>(python.prefixes());
    visible.addAll(python.siteDirectories());
    visible.addAll(config.extraReadOnlyPaths());
    List<Path> bound = new ArrayList<>();
    for (Path path : visible) {
      Path real = path.toAbsolutePath().normalize();
      if (!real.startsWith("/usr") && bound.stream().noneMatch(real::startsWith)) {
        bound.add(real);
        entries.add(new String[] {"bind", real.toString(), real.toString()});
      }
    }
    for (Path[] bind : binds) {
      entries.add(new String[] {"bind", bind[0].toString(), bind[1].toString()});
    }
    return entries;
  }

  /**
   * The command up to and including the interpreter and its flags: bubblewrap, or unshare with
   * {@code sandbox_root.sh} building the same view under {@code newRoot} (both binding {@code
   * binds} read-only, host path to sandbox path), or the bare interpreter.
   */
  List<String> isolationPrefix(Isolation mode, Path newRoot, List<Path[]> binds) {
    List<String> command = new ArrayList<>();
    switch (mode) {
      case BUBBLEWRAP -> {
        command.addAll(
            List.of(
                bubblewrap.orElseThrow().toString(),
                "--unshare-all",
                "--unshare-user",
                "--die-with-parent",
                "--new-session",
                "--uid",
                Integer.toString(NOBODY),
                "--gid",
                Integer.toString(NOBODY),
                "--clearenv"));
        sandboxEnvironment("/tmp")
            .forEach((key, value) -> command.addAll(List.of("--setenv", key, value)));
        for (String[] entry : visibleEntries(binds)) {
          command.addAll(
              entry[0].equals("link")
                  ? List.of("--symlink", entry[1], entry[2])
                  : List.of("--ro-bind", entry[1], entry[2]));
        }
        command.addAll(List.of("--dev", "/dev", "--proc", "/proc"));
        for (String tmp : List.of("/tmp", "/var/tmp", "/dev/shm")) {
          command.addAll(List.of("--size", Long.toString(TMPFS_BYTES), "--tmpfs", tmp));
        }
        command.addAll(
            List.of("--dir", "/tmp/work", "--chdir", "/tmp/work", "--disable-userns", "--"));
      }
      case UNSHARE -> {
        command.addAll(
            List.of(
                "unshare",
                "--mount",
                "--net",
                "--pid",
                "--ipc",
                "--uts",
                "--fork",
                "--kill-child",
                "/bin/sh",
                rootScript.toString(),
                newRoot.toString(),
                Long.toString(TMPFS_BYTES),
                Integer.toString(NOBODY)));
        for (String[] entry : visibleEntries(binds)) {
          command.addAll(List.of(entry));
        }
        command.add("--");
      }
      default -> {
        // no isolation: the bare interpreter
      }
    }
    command.add(python.executable().toString());
    command.add("-I");
    command.add("-S");
    command.add("-B");
    return command;
  }

  /**
   * The bubblewrap executable {@code name} names (a path, or a name looked up on PATH); empty when
   * it is "none" or not found.
   */
  static Optional<Path> findBubblewrap(String name) {
    if (name.equals("none")) {
      return Optional.empty();
    }
    if (name.contains("/")) {
      Path path = Path.of(name);
      return Files.isExecutable(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name).toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> sandboxEnvironment(String home) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", home);
    env.put("LANG", "C.UTF-8");
    env.put("PYTHONHASHSEED", "0");
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    // One thread per numeric library: samples run side by side.
    env.put("OMP_NUM_THREADS", "1");
    env.put("OPENBLAS_NUM_THREADS", "1");
    env.put("MKL_NUM_THREADS", "1");
    return env;
  }

  /** Kills the sample's whole process tree: descendants, the root, then anything in its cgroup. */
  static void killEverything(Process process, Map<String, Path> cgroups) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    Path pids = cgroups.get("pids");
    Path group = pids != null ? pids : cgroups.get("memory");
    if (group != null) {
      // A fork bomb may still be forking: kill until the group stays empty (pids.max bounds it).
      for (int round = 0; round < 500; round++) {
        List<Long> members = members(group);
        if (members.isEmpty()) {
          break;
        }
        for (long pid : members) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        sleepQuietly(2);
      }
    }
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Long> members(Path group) {
    try {
      return Files.readAllLines(group.resolve("cgroup.procs")).stream()
          .filter(line -> !line.isBlank())
          .map(line -> Long.parseLong(line.strip()))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean memoryLimitHit(Map<String, Path> cgroups) {
    Path memory = cgroups.get("memory");
    if (memory == null) {
      return false;
    }
    try {
      return Long.parseLong(Files.readString(memory.resolve("memory.failcnt")).strip()) > 0;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private static void removeCgroups(Iterable<Path> groups) {
    for (Path group : groups) {
      for (int attempt = 0; attempt < 200; attempt++) {
        try {
          Files.deleteIfExists(group);
          break;
        } catch (IOException busy) {
          // Zombies still being reaped: try again shortly.
          members(group)
              .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
          sleepQuietly(5);
        }
      }
    }
  }

  private Map<String, Path> createCgroupParents() {
    if (!isRoot()) {
      return Map.of();
    }
    Map<String, Path> parents = new LinkedHashMap<>();
    String name = "text2code-" + ProcessHandle.current().pid() + "-" + workRoot.getFileName();
    for (String controller : List.of("pids", "memory")) {
      Path root = Path.of("/sys/fs/cgroup", controller);
      if (!Files.isWritable(root.resolve("cgroup.procs"))) {
        continue;
      }
      try {
        parents.put(controller, Files.createDirectory(root.resolve(name)));
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "cgroup " + controller + " not usable: " + e);
      }
    }
    if (!parents.containsKey("pids")) {
      removeCgroups(parents.values());
      return Map.of();
    }
    return parents;
  }

  private static boolean isRoot() {
    return ProcessHandle.current().info().user().map("root"::equals).orElse(false);
  }

  private static String readHead(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(KEPT_OUTPUT), StandardCharsets.UTF_8);
    }
  }

  private static String withoutMarkers(String output) {
    return output.replaceAll("\n?" + MARKER + "[^\n]*\n?", "");
  }

  /** The runner's failure reason: the last marker line of the output (read from its tail). */
  private static String markedReason(Path file, long size) throws IOException {
    long keep = Math.min(size, 64 * 1024);
    String tail;
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(size - keep);
      tail = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int at = tail.lastIndexOf(MARKER);
    if (at < 0) {
      return "";
    }
    String line = tail.substring(at + MARKER.length());
    int end = line.indexOf('\n');
    line = (end < 0 ? line : line.substring(0, end)).strip();
    return line.startsWith("failed: ") ? line.substring("failed: ".length()) : line;
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.WARNING, "could not delete sandbox directory " + root + ": " + e);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the workers and removes the work directory and cgroups. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Workers busy with a sample put their slot back when it ends; close them all now.
    List<ServerSlot> all = new ArrayList<>();
    slots.drainTo(all);
    all.forEach(ServerSlot::close);
    timer.shutdownNow();
    removeCgroups(cgroupParents.values());
    deleteTree(workRoot);
  }
}

package dev.text2code.evaluation.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.CodeExecutionException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker's sandboxed fork server ({@code sandbox_server.py}): one JSON request line in, one
 * JSON response line out. A watchdog kills the whole sandbox if an answer is late; a dead server is
 * never reused.
 */
final class ForkServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Process process;
  private final OutputStream requests;
  private final BufferedReader responses;
  private final Map<String, Path> cgroups;
  private final Path log;
  private final AtomicBoolean killed = new AtomicBoolean();
  private volatile boolean dead;

  private ForkServer(Process process, Map<String, Path> cgroups, Path log) {
    this.process = process;
    this.requests = process.getOutputStream();
    this.responses =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
    this.cgroups = cgroups;
    this.log = log;
  }

  /** Starts the server and waits (at most {@code startupMillis}) for its ready line. */
  static ForkServer start(
      List<String> command,
      Map<String, String> environment,
      Path directory,
      Map<String, Path> cgroups,
      ScheduledExecutorService timer,
      long startupMillis) {
    Path log = directory.resolve("server.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment);
    ForkServer server;
    try {
      server = new ForkServer(builder.start(), cgroups, log);
    } catch (IOException e) {
      throw new CodeExecutionException("cannot start the sandbox fork server: " + e, e);
    }
    ScheduledFuture<?> watchdog =
        timer.schedule(server::kill, startupMillis, TimeUnit.MILLISECONDS);
    String ready;
    try {
      ready = server.responses.readLine();
    } catch (IOException e) {
      ready = null;
    } finally {
      watchdog.cancel(false);
    }
    if (ready == null || !ready.contains("\"ready\"")) {
      server.kill();
      throw new CodeExecutionException(
          "the sandbox fork server did not start: "
              + server.logText()
              + " (command "
              + command
              + ")");
    }
    return server;
  }

  long pid() {
    return process.pid();
  }

  boolean usable() {
    return !dead && process.isAlive();
  }

  boolean killedByWatchdog() {
    return killed.get();
  }

  /** Sends one request; empty answer (null) when the server died or the watchdog fired. */
  JsonNode call(String requestLine, ScheduledExecutorService timer, long watchdogMillis) {
    ScheduledFuture<?> watchdog = timer.schedule(this::kill, watchdogMillis, TimeUnit.MILLISECONDS);
    try {
      requests.write(requestLine.getBytes(StandardCharsets.UTF_8));
      requests.write('\n');
      requests.flush();
      String line = responses.readLine();
      if (line == null) {
        dead = true;
        return null;
      }
      return MAPPER.readTree(line);
    } catch (IOException e) {
      dead = true;
      return null;
    } finally {
      watchdog.cancel(false);
    }
  }

  private String logText() {
    try {
      return Files.exists(log) ? Files.readString(log).strip() : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills the server and everything in its sandbox. */
  void kill() {
    dead = true;
    killed.set(true);
    SandboxedExecutor.killEverything(process, cgroups);
  }

  @Override
  public void close() {
    dead = true;
    SandboxedExecutor.killEverything(process, cgroups);
  }
}

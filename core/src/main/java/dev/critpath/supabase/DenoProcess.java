package dev.critpath.supabase;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Deno server critpath starts (the local functions server, the realtime relay): its stdout and
 * stderr go, redacted, to a log file; it is up once it prints {@code {"event":"listening",
 * "port":N}}; it stops by {@link #close} (EOF on its stdin, then a signal), by a shutdown hook on
 * Ctrl-C, and by itself when this JVM dies (the servers exit when their stdin closes).
 */
public final class DenoProcess implements AutoCloseable {
  private static final int TAIL_LINES = 20;
  private static final Duration STOP_WAIT = Duration.ofSeconds(3);

  private final Process process;
  private final int port;
  private final Thread hook;

  private DenoProcess(Process process, int port, Thread hook) {
    this.process = process;
    this.port = port;
    this.hook = hook;
  }

  /** Why a server did not come up: its exit code (null while it still runs) and last lines. */
  public static final class StartFailure extends Exception {
    private final Integer exitCode;
    private final String lastLines;

    StartFailure(String message, Integer exitCode, String lastLines) {
      super(message);
      this.exitCode = exitCode;
      this.lastLines = lastLines;
    }

    public Integer exitCode() {
      return exitCode;
    }

    /** The last lines it printed, redacted, joined by " | ", or "no output". */
    public String lastLines() {
      return lastLines;
    }
  }

  /**
   * Starts {@code pb} (its environment set by the caller), writing its output to {@code log}, and
   * waits up to {@code timeout} for its listening line.
   *
   * @param name what it is, for thread names and messages ("functions", "relay")
   * @throws StartFailure when it exits or stays silent; the process is stopped by then
   */
  public static DenoProcess start(ProcessBuilder pb, Path log, Duration timeout, String name)
      throws StartFailure {
    pb.environment().put("EXIT_ON_STDIN_EOF", "1");
    pb.environment().put("NO_COLOR", "1");
    pb.environment().put("DENO_NO_UPDATE_CHECK", "1");
    Writer logWriter;
    Process p;
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot write " + log + ": " + e.getMessage());
    }
    try {
      p = pb.start();
    } catch (IOException e) {
      closeQuietly(logWriter);
      throw new UserError(
          "cannot start the " + name + " (" + pb.command().get(0) + "): " + e.getMessage());
    }
    Deque<String> tail = new ArrayDeque<>();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    AtomicInteger open = new AtomicInteger(2);
    pump(p.getInputStream(), logWriter, open, tail, listening, name + "-stdout");
    pump(p.getErrorStream(), logWriter, open, tail, null, name + "-stderr");
    Thread hook = new Thread(p::destroy, "critpath-" + name + "-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    p.onExit().thenRun(() -> listening.completeExceptionally(new IllegalStateException("exited")));
    try {
      return new DenoProcess(p, listening.get(timeout.toSeconds(), TimeUnit.SECONDS), hook);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(p, hook);
      throw new UserError("interrupted while the " + name + " started");
    } catch (ExecutionException | TimeoutException e) {
      boolean alive = p.isAlive();
      stop(p, hook);
      Integer exit = alive ? null : p.exitValue();
      return failed(name, timeout, exit, tail);
    }
  }

  private static DenoProcess failed(String name, Duration timeout, Integer exit, Deque<String> tail)
      throws StartFailure {
    String last;
    synchronized (tail) {
      last = tail.isEmpty() ? "no output" : String.join(" | ", tail);
    }
    throw new StartFailure(
        "the "
            + name
            + " did not start"
            + (exit == null ? " within " + timeout.toSeconds() + " s" : " (exit " + exit + ")"),
        exit,
        last);
  }

  private static void pump(
      InputStream in,
      Writer log,
      AtomicInteger open,
      Deque<String> tail,
      CompletableFuture<Integer> listening,
      String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  String safe = Secrets.redact(line);
                  synchronized (tail) {
                    tail.addLast(safe);
                    if (tail.size() > TAIL_LINES) {
                      tail.removeFirst();
                    }
                  }
                  synchronized (log) {
                    log.write(safe);
                    log.write('\n');
                    log.flush();
                  }
                  if (listening != null && !listening.isDone() && line.startsWith("{")) {
                    JsonNode event = Json.mapper().readTree(line);
                    if ("listening".equals(event.path("event").asText())) {
                      listening.complete(event.path("port").asInt());
                    }
                  }
                }
              } catch (IOException e) {
                // the process ended; its exit is handled where it matters
              } finally {
                if (open.decrementAndGet() == 0) {
                  synchronized (log) {
                    closeQuietly(log);
                  }
                }
              }
            },
            "critpath-" + name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Writer w) {
    try {
      w.close();
    } catch (IOException e) {
      // nothing more to write
    }
  }

  public int port() {
    return port;
  }

  /** The CPU time the process has used, or -1 where the OS does not say. */
  public double cpuSeconds() {
    return process.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(-1.0);
  }

  /** Kills it at once (SIGKILL), leaving whatever it held behind: for tests of a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() {
    stop(process, hook);
  }

  private static void stop(Process p, Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook stops the process
    }
    try {
      p.getOutputStream().close(); // EOF on its stdin: it shuts down by itself
      if (!p.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroy();
        if (!p.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

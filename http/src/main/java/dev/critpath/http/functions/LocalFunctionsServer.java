package dev.critpath.http.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Edge Functions served locally: one Deno process running {@code supabase/server/main.ts} on a
 * free port, with the database URL and the JWT secret in its environment. Stopped by {@link
 * #close}, by a shutdown hook on Ctrl-C, and by itself when this JVM dies (it exits when its stdin
 * closes).
 */
public final class LocalFunctionsServer implements AutoCloseable {
  /** Functions idle this long are unloaded; their next call is a cold start. */
  public static final Duration DEFAULT_IDLE = Duration.ofSeconds(3);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final int TAIL_LINES = 20;

  private final Process process;
  private final int port;
  private final Thread hook;

  private LocalFunctionsServer(Process process, int port, Thread hook) {
    this.process = process;
    this.port = port;
    this.hook = hook;
  }

  /**
   * Starts the server.
   *
   * @param layout where the functions and Deno are
   * @param db the database the functions use (they act as the caller through JWT claims)
   * @param jwtSecret the HS256 secret the gateway verifies tokens with
   * @param log where the server's output goes (redacted)
   */
  public static LocalFunctionsServer start(
      FunctionsLayout layout, ConnectionSpec db, String jwtSecret, Duration idle, Path log) {
    return start(layout, db, jwtSecret, idle, log, Map.of(), null);
  }

  /**
   * As {@link #start(FunctionsLayout, ConnectionSpec, String, Duration, Path)}, with {@code
   * extraEnv} (e.g. WABA_API_URL) in the functions' environment and, unless {@code realtimeUrl} is
   * null, {@code /realtime/v1} passed through to the realtime relay at {@code realtimeUrl}
   * (http://host:port), so one base URL serves both, as {@code supabase start} does.
   */
  public static LocalFunctionsServer start(
      FunctionsLayout layout,
      ConnectionSpec db,
      String jwtSecret,
      Duration idle,
      Path log,
      Map<String, String> extraEnv,
      String realtimeUrl) {
    Secrets.register(jwtSecret);
    List<String> cmd = new ArrayList<>();
    cmd.add(layout.deno().toString());
    cmd.addAll(
        List.of(
            "run",
            "--config",
            layout.functionsDir().resolve("deno.json").toString(),
            "--allow-net",
            "--allow-env",
            "--allow-read",
            "--no-prompt",
            layout.serverMain().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(layout.functionsDir().toFile());
    Map<String, String> env = pb.environment();
    env.put("SUPABASE_DB_URL", postgresUrl(db));
    // postgres.js names its statements unless told not to, as pgjdbc does: both off together
    env.put("DB_PREPARE", Boolean.toString(!"0".equals(db.params().get("prepareThreshold"))));
    env.put("JWT_SECRET", jwtSecret);
    env.putAll(extraEnv);
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("FUNCTION_IDLE_MS", Long.toString(idle.toMillis()));
    env.put("EXIT_ON_STDIN_EOF", "1");
    env.put("NO_COLOR", "1");
    env.put("DENO_NO_UPDATE_CHECK", "1");
    if (realtimeUrl != null) {
      env.put("REALTIME_URL", realtimeUrl);
    }
    Process p;
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      p = pb.start();
    } catch (IOException e) {
      throw new UserError(
          "cannot start the local functions server (" + layout.deno() + "): " + e.getMessage());
    }
    Deque<String> tail = new ArrayDeque<>();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Writer logWriter;
    try {
      logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      p.destroyForcibly();
      throw new UserError("cannot write " + log + ": " + e.getMessage());
    }
    AtomicInteger open = new AtomicInteger(2);
    pump(p.getInputStream(), logWriter, open, tail, listening, "functions-stdout");
    pump(p.getErrorStream(), logWriter, open, tail, null, "functions-stderr");
    Thread hook = new Thread(p::destroy, "critpath-functions-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    p.onExit().thenRun(() -> listening.completeExceptionally(new IllegalStateException("exited")));
    int port;
    try {
      port = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(p, hook);
      throw new UserError("interrupted while the functions server started");
    } catch (ExecutionException | TimeoutException e) {
      stop(p, hook);
      throw new UserError(
          "the local functions server did not start"
              + (p.isAlive()
                  ? " within " + START_TIMEOUT.toSeconds() + " s"
                  : " (exit " + p.exitValue() + ")")
              + ": "
              + lastLines(tail)
              + " (full output in "
              + log
              + ")");
    }
    return new LocalFunctionsServer(p, port, hook);
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
                    try {
                      log.close();
                    } catch (IOException e) {
                      // nothing more to write
                    }
                  }
                }
              }
            },
            "critpath-" + name);
    t.setDaemon(true);
    t.start();
  }

  private static String lastLines(Deque<String> tail) {
    synchronized (tail) {
      return tail.isEmpty() ? "no output" : String.join(" | ", tail);
    }
  }

  /** A postgres.js URL for the functions; the password travels only in the environment. */
  static String postgresUrl(ConnectionSpec db) {
    StringBuilder url = new StringBuilder("postgres://").append(enc(db.user()));
    if (db.password() != null && !db.password().isEmpty()) {
      url.append(':').append(enc(db.password()));
    }
    String host = db.host().contains(":") ? "[" + db.host() + "]" : db.host();
    url.append('@')
        .append(host)
        .append(':')
        .append(db.port())
        .append('/')
        .append(enc(db.database()));
    String sslmode = db.params().get("sslmode");
    if (sslmode != null) {
      url.append("?sslmode=").append(enc(sslmode));
    }
    return url.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
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
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

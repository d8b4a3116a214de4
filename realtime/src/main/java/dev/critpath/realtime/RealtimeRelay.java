package dev.critpath.realtime;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.critpath.UserError;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.io.Json;
import dev.critpath.supabase.DenoProcess;
import dev.critpath.supabase.NpmInstall;
import dev.critpath.supabase.PostgresUrl;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local realtime endpoint: {@code supabase/realtime/relay.ts} run by Deno, the runtime the Edge
 * Functions server uses too (installed from npm into {@code supabase/functions/node_modules}, or
 * {@code deno} on PATH, or {@code CRITPATH_DENO}). Like Supabase Realtime it reads postgres_changes
 * from a temporary logical replication slot, polled every 100 ms, and stops with critpath (it exits
 * when its stdin closes; the slot ends with its session even when it is killed).
 */
final class RealtimeRelay implements AutoCloseable {
  static final String SUPABASE_DIR_ENV = "CRITPATH_SUPABASE_DIR";
  static final String DENO_ENV = "CRITPATH_DENO";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final String RELAY = "relay.ts";

  /** Supabase Realtime's poll_interval_ms, which the relay keeps. */
  static final int POLL_INTERVAL_MS = 100;

  /** What a local run does not pay for that a project's users do. */
  static final String ABSENT_COSTS =
      "local relay: not present: the internet path and TLS, Supabase's API gateway hop,"
          + " Realtime's cluster fan-out and rate limits, wal2json decoding inside the database";

  /** The relay's exit code for a database it cannot serve, after one line saying why. */
  private static final int UNUSABLE_DATABASE = 2;

  /** Where npm puts Deno's binary: the platform package, or the deno package's bin link. */
  private static final List<String> DENO_IN_FUNCTIONS =
      List.of("node_modules/@deno/linux-x64-glibc/deno", "node_modules/.bin/deno");

  final DenoProcess process;
  private final Path logFile;

  private RealtimeRelay(DenoProcess process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
  }

  /** Starts the relay against {@code db}; verifies tokens signed with {@code jwtSecret}. */
  static RealtimeRelay start(ConnectionSpec db, String jwtSecret) {
    Path dir = relayDir();
    Path deno = deno(dir);
    // the relay's PostgreSQL driver, installed or brought up to its lock file
    NpmInstall.ensure(dir);
    Path log;
    try {
      log = Files.createTempFile("critpath-realtime-relay-", ".log");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the relay's log file", e);
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                deno.toString(),
                "run",
                "--quiet",
                "--no-prompt",
                "--allow-net",
                "--allow-env",
                "--allow-read",
                "--allow-sys",
                RELAY)
            .directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("SUPABASE_DB_URL", PostgresUrl.of(db));
    env.put("JWT_SECRET", jwtSecret);
    env.put("HOST", "127.0.0.1");
    env.put("PORT", "0");
    try {
      return new RealtimeRelay(DenoProcess.start(pb, log, START_TIMEOUT, "realtime relay"), log);
    } catch (DenoProcess.StartFailure e) {
      if (Integer.valueOf(UNUSABLE_DATABASE).equals(e.exitCode())) {
        // the relay's one line names the cause (wal_level, REPLICATION privilege, publication)
        throw new UserError(lastLine(e.lastLines().replace(" | ", "\n")));
      }
      throw new UserError(e.getMessage() + ": " + e.lastLines() + " (log: " + log + ")");
    }
  }

  int port() {
    return process.port();
  }

  /**
   * What the relay said at start that a run should report: replication slots left behind by an
   * earlier run, named, which it dropped.
   */
  List<String> notices() {
    try {
      return Files.readAllLines(logFile, StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith("critpath relay: dropped replication slot"))
          .map(l -> l.substring("critpath relay: ".length()))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  String websocketUrl() {
    return "ws://127.0.0.1:" + port() + "/realtime/v1/websocket";
  }

  /**
   * The relay's counters (GET /stats) and the CPU time its process has used, or what could be had
   * of them.
   */
  Map<String, Object> stats() {
    Map<String, Object> out = new java.util.TreeMap<>(counters());
    double cpu = process.cpuSeconds();
    if (cpu >= 0) {
      out.put("cpuSeconds", cpu);
    }
    return out;
  }

  private Map<String, Object> counters() {
    try {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(3))
              .build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/stats"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return Json.mapper().readValue(r.body(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      return Map.of("error", String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  @Override
  public void close() {
    process.close();
    try {
      Files.deleteIfExists(logFile);
    } catch (IOException ignored) {
      // a temp file
    }
  }

  /** supabase/realtime: under CRITPATH_SUPABASE_DIR, above the working directory or the jar. */
  static Path relayDir() {
    String configured = System.getenv(SUPABASE_DIR_ENV);
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured, "realtime");
      if (Files.isRegularFile(dir.resolve(RELAY))) {
        return dir.toAbsolutePath();
      }
      throw new UserError(SUPABASE_DIR_ENV + "=" + configured + " holds no realtime/" + RELAY);
    }
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    try {
      starts.add(
          Path.of(RealtimeRelay.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException ignored) {
      // no code source: the working directory has to do
    }
    for (Path start : starts) {
      for (Path p = start; p != null; p = p.getParent()) {
        Path candidate = p.resolve("supabase").resolve("realtime");
        if (Files.isRegularFile(candidate.resolve(RELAY))) {
          return candidate;
        }
      }
    }
    throw new UserError(
        "cannot find supabase/realtime/"
            + RELAY
            + ": run critpath from its checkout or set "
            + SUPABASE_DIR_ENV);
  }

  /** The Deno binary: CRITPATH_DENO, the functions' npm install (made if missing), or PATH. */
  static Path deno(Path relayDir) {
    String configured = System.getenv(DENO_ENV);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (Files.isExecutable(p)) {
        return p;
      }
      throw new UserError(DENO_ENV + "=" + configured + " is not an executable file");
    }
    Path functions = relayDir.getParent().resolve("functions");
    Path installed = installedDeno(functions);
    if (Files.isRegularFile(functions.resolve("package.json"))
        && (installed == null || NpmInstall.stale(functions))) {
      NpmInstall.run(functions);
      installed = installedDeno(functions);
    }
    if (installed != null) {
      return installed;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        Path c = Path.of(entry, "deno");
        if (Files.isExecutable(c)) {
          return c;
        }
      }
    }
    throw new UserError(
        "no Deno runtime for the realtime relay: run `npm ci` in "
            + functions
            + " (it installs Deno from npm), put deno on PATH, or set "
            + DENO_ENV);
  }

  private static Path installedDeno(Path functions) {
    for (String candidate : DENO_IN_FUNCTIONS) {
      Path c = functions.resolve(candidate);
      if (Files.isExecutable(c)) {
        return c;
      }
    }
    return null;
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}

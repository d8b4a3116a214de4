package dev.critpath.http.functions;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.supabase.DenoProcess;
import dev.critpath.supabase.PostgresUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Edge Functions served locally: one Deno process running {@code supabase/server/main.ts} on a
 * free port, with the database URL and the JWT secret in its environment, supervised as a {@link
 * DenoProcess}.
 */
public final class LocalFunctionsServer implements AutoCloseable {
  /** Functions idle this long are unloaded; their next call is a cold start. */
  public static final Duration DEFAULT_IDLE = Duration.ofSeconds(3);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final DenoProcess process;

  private LocalFunctionsServer(DenoProcess process) {
    this.process = process;
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
    env.put("SUPABASE_DB_URL", PostgresUrl.of(db));
    // postgres.js names its statements unless told not to, as pgjdbc does: both off together
    env.put("DB_PREPARE", Boolean.toString(!"0".equals(db.params().get("prepareThreshold"))));
    env.put("JWT_SECRET", jwtSecret);
    env.putAll(extraEnv);
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("FUNCTION_IDLE_MS", Long.toString(idle.toMillis()));
    if (realtimeUrl != null) {
      env.put("REALTIME_URL", realtimeUrl);
    }
    try {
      return new LocalFunctionsServer(
          DenoProcess.start(pb, log, START_TIMEOUT, "local functions server"));
    } catch (DenoProcess.StartFailure e) {
      throw new UserError(e.getMessage() + ": " + e.lastLines() + " (full output in " + log + ")");
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + process.port();
  }

  @Override
  public void close() {
    process.close();
  }
}

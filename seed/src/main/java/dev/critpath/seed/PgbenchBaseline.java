package dev.critpath.seed;

import dev.critpath.UserError;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The yardstick for seeding speed: {@code pgbench -i} (client-side COPY of pgbench_accounts) on the
 * same server, in a scratch database that is dropped afterwards.
 */
public final class PgbenchBaseline {
  static final String SCRATCH_DATABASE = "critpath_pgbench";
  private static final Pattern GENERATE = Pattern.compile("client-side generate ([0-9.]+) s");
  private static final Pattern DONE = Pattern.compile("done in ([0-9.]+) s");
  private static final long ROWS_PER_SCALE = 100_000;
  private static final long TIMEOUT_MINUTES = 30;

  /**
   * One pgbench -i run.
   *
   * @param generateSeconds pgbench's own "client-side generate" time (the COPY)
   * @param totalSeconds pgbench's "done in" (COPY, vacuum, primary keys)
   */
  public record Result(int scale, long rows, double generateSeconds, double totalSeconds) {
    public double rowsPerSecond() {
      return rows / generateSeconds;
    }
  }

  private PgbenchBaseline() {}

  /** Runs {@code pgbench -i -s scale} once on db's server. */
  public static Result run(Database db, int scale) {
    if (scale < 1 || scale > 1_000) {
      throw new UserError("--pgbench scale must be between 1 and 1000, got " + scale);
    }
    String pgbench = findPgbench();
    ConnectionSpec spec = db.spec();
    exec(db, "DROP DATABASE IF EXISTS " + SCRATCH_DATABASE);
    exec(db, "CREATE DATABASE " + SCRATCH_DATABASE);
    try {
      List<String> cmd =
          List.of(
              pgbench,
              "-i",
              "-q",
              "-s",
              Integer.toString(scale),
              "-h",
              spec.host(),
              "-p",
              Integer.toString(spec.port()),
              "-U",
              spec.user(),
              SCRATCH_DATABASE);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      if (spec.password() != null) {
        env.put("PGPASSWORD", spec.password());
      }
      String sslmode = spec.params().get("sslmode");
      if (sslmode != null) {
        env.put("PGSSLMODE", sslmode);
      }
      env.put("PGAPPNAME", "critpath-pgbench");
      Path log = Files.createTempFile("critpath-pgbench", ".log");
      try {
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new UserError("pgbench -i did not finish within " + TIMEOUT_MINUTES + " minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new UserError(
              "pgbench -i failed (exit " + p.exitValue() + "): " + lastLine(output));
        }
        return parse(output, scale);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UserError("cannot run " + pgbench + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while pgbench -i ran");
    } finally {
      exec(db, "DROP DATABASE IF EXISTS " + SCRATCH_DATABASE);
    }
  }

  static Result parse(String output, int scale) {
    Matcher generate = GENERATE.matcher(output);
    Matcher done = DONE.matcher(output);
    if (!generate.find() || !done.find()) {
      throw new UserError(
          "cannot read pgbench's timing line (\"done in ... client-side generate ...\"): "
              + lastLine(output));
    }
    return new Result(
        scale,
        ROWS_PER_SCALE * scale,
        Double.parseDouble(generate.group(1)),
        Double.parseDouble(done.group(1)));
  }

  /** $PGBENCH, else pgbench on the PATH. */
  static String findPgbench() {
    String configured = System.getenv("PGBENCH");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    for (String dir : dirs) {
      Path candidate = Path.of(dir, "pgbench");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new UserError(
        "pgbench not found: install the PostgreSQL client tools (apt-get install"
            + " postgresql-client) or set PGBENCH to its path");
  }

  private static void exec(Database db, String sql) {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new UserError(
          "cannot prepare pgbench's scratch database on "
              + db.spec().display()
              + " ("
              + sql
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}

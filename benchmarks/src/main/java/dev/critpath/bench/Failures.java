package dev.critpath.bench;

import dev.critpath.Secrets;
import dev.critpath.db.SqlState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Why a path failed, in one line a user can act on, handed from a benchmark JVM to the orchestrator
 * through a file per path and variant (JMH itself only prints a stack trace).
 */
final class Failures {
  private Failures() {}

  static String describe(Throwable e, Duration statementTimeout) {
    Throwable t = e;
    while (!(t instanceof SQLException) && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof SQLException sql) {
      if (SqlState.QUERY_CANCELED.is(sql)) {
        return "exceeded statement_timeout ("
            + statementTimeout.toMillis()
            + " ms): "
            + firstLine(sql.getMessage())
            + " (raise --statement-timeout or make the query faster)";
      }
      String state = sql.getSQLState() == null ? "" : " [SQLSTATE " + sql.getSQLState() + "]";
      if (sql instanceof java.sql.SQLTransientConnectionException) {
        // the pool timed out; the server's own refusal, when there was one, says why
        return sql.getCause() instanceof SQLException refused
            ? "no connection in time: " + describe(refused, statementTimeout)
            : "no connection available in time (pool exhausted or server at max_connections): "
                + firstLine(sql.getMessage());
      }
      return firstLine(sql.getMessage()) + state;
    }
    return firstLine(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
  }

  private static String firstLine(String s) {
    String redacted = Secrets.redact(s == null ? "" : s.strip());
    int nl = redacted.indexOf('\n');
    return nl < 0 ? redacted : redacted.substring(0, nl);
  }

  static Path file(Path dir, String path, String variant) {
    return dir.resolve(path + "__" + variant + ".txt");
  }

  /** Records the first failure of a path/variant (later ones are consequences) and rethrows it. */
  static RuntimeException record(
      ForkConfig config, String path, String variant, String stage, Throwable e) {
    String reason = stage + ": " + describe(e, Duration.ofMillis(config.statementTimeoutMillis()));
    try {
      Files.writeString(
          file(Path.of(config.failuresDir()), path, variant),
          reason,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (IOException alreadyRecorded) {
      // the first reason wins
    }
    return new IllegalStateException(path + " " + variant + " " + reason, e);
  }

  /** The recorded reason, or null. */
  static String read(Path dir, String path, String variant) {
    Path f = file(dir, path, variant);
    try {
      return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }
}

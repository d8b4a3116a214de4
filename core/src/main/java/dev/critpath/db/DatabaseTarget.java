package dev.critpath.db;

import dev.critpath.UserError;
import java.nio.file.Path;
import java.util.Map;

/** Which PostgreSQL a command talks to, chosen from options and environment. */
public sealed interface DatabaseTarget {

  /** A server the user points at. */
  record External(ConnectionSpec spec, String source) implements DatabaseTarget {}

  /** The server critpath starts itself; {@code keptDataDir} null means throw-away data. */
  record Embedded(Path keptDataDir) implements DatabaseTarget {}

  /** A Testcontainers-managed server (needs Docker). */
  record Container(String image) implements DatabaseTarget {}

  String DEFAULT_CONTAINER_IMAGE = "postgres:17";

  /**
   * Precedence: {@code --db-url}, then {@code --db}, then DATABASE_URL, then the libpq PG*
   * variables, then the embedded server.
   *
   * @param dbUrl the --db-url option, or null
   * @param db the --db option ({@code embedded} or {@code container[:image]}), or null
   * @param keptDataDir data directory to keep between embedded runs, or null
   */
  static DatabaseTarget resolve(
      String dbUrl, String db, Path keptDataDir, Map<String, String> env) {
    if (dbUrl != null && db != null) {
      throw new UserError("--db-url and --db both choose a database: give one of them, not both");
    }
    if (dbUrl != null) {
      return new External(PgUrl.parse(dbUrl), "--db-url");
    }
    if (db != null) {
      if (db.equals("embedded")) {
        return new Embedded(keptDataDir);
      }
      if (db.equals("container")) {
        return new Container(DEFAULT_CONTAINER_IMAGE);
      }
      if (db.startsWith("container:") && db.length() > "container:".length()) {
        return new Container(db.substring("container:".length()));
      }
      throw new UserError(
          "unknown --db value '" + db + "': use embedded, container or container:IMAGE");
    }
    String envUrl = env.get("DATABASE_URL");
    if (envUrl != null && !envUrl.isBlank()) {
      return new External(PgUrl.parse(envUrl), "DATABASE_URL");
    }
    ConnectionSpec fromPg = PgUrl.fromEnvironment(env);
    if (fromPg != null) {
      return new External(fromPg, "PG* environment variables");
    }
    return new Embedded(keptDataDir);
  }
}

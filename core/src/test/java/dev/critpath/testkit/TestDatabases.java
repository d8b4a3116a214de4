package dev.critpath.testkit;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.db.PgUrl;
import dev.critpath.schema.Migrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Real PostgreSQL for tests: one embedded server per JVM (started on first use, stopped at exit),
 * and a fresh database per test class, cloned from a migrated template so each costs milliseconds.
 * Shared by the tests of every module through core's test-jar.
 */
public final class TestDatabases {
  private static final String TEMPLATE = "critpath_template";
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
  private static Database server;

  private TestDatabases() {}

  /** The embedded server, connected to its default database. */
  public static synchronized Database embedded() {
    if (server == null) {
      server = Database.open(new DatabaseTarget.Embedded(null), STATEMENT_TIMEOUT);
      try (Database template = open(createDatabase(server.spec(), TEMPLATE))) {
        Migrator.migrate(template, null, false);
      }
    }
    return server;
  }

  /** A new, migrated database on the embedded server. Close it when done. */
  public static Database migrated(String purpose) {
    embedded();
    return open(createDatabase(server.spec(), uniqueName(purpose), TEMPLATE));
  }

  /** A new, empty database on the embedded server. Close it when done. */
  public static Database empty(String purpose) {
    return open(createDatabase(embedded().spec(), uniqueName(purpose)));
  }

  /**
   * The machine's own PostgreSQL (PG15 at 127.0.0.1:5432 here and in CI), or null when none
   * answers. Override with CRITPATH_TEST_LOCAL_URL.
   */
  public static ConnectionSpec localServer() {
    String url =
        System.getenv()
            .getOrDefault(
                "CRITPATH_TEST_LOCAL_URL", "postgresql://postgres@127.0.0.1:5432/postgres");
    ConnectionSpec spec = PgUrl.parse(url);
    try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.credentials())) {
      return spec;
    } catch (SQLException e) {
      return null;
    }
  }

  /** Opens a connection target as critpath would. */
  public static Database open(ConnectionSpec spec) {
    return Database.open(new DatabaseTarget.External(spec, "test"), STATEMENT_TIMEOUT);
  }

  /** Creates a database on the server of {@code admin}; returns a spec pointing at it. */
  public static ConnectionSpec createDatabase(ConnectionSpec admin, String name) {
    return createDatabase(admin, name, null);
  }

  public static ConnectionSpec createDatabase(ConnectionSpec admin, String name, String template) {
    exec(admin, "CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
    return admin.withDatabase(name);
  }

  public static void dropDatabase(ConnectionSpec admin, String name) {
    exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** The single number {@code sql} returns. */
  public static long number(Database db, String sql) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public static void exec(ConnectionSpec spec, String sql) {
    try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.credentials());
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public static String uniqueName(String purpose) {
    return ("t_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9_]", "_");
  }
}

package dev.critpath.testkit;

import dev.critpath.db.Database;
import dev.critpath.db.EmbeddedPostgres;
import dev.critpath.schema.Migrator;
import java.time.Duration;

/**
 * A migrated database on an embedded server of its own, for fault-injection tests that restart the
 * server mid-run (restarting the shared server of {@link TestDatabases} would break the other tests
 * of the JVM). Closing it stops the server.
 */
public final class RestartableDatabase implements AutoCloseable {
  private final EmbeddedPostgres server;
  private final Database db;

  private RestartableDatabase(EmbeddedPostgres server, Database db) {
    this.server = server;
    this.db = db;
  }

  /** Starts a server and migrates its database. */
  public static RestartableDatabase migrated() {
    EmbeddedPostgres server = EmbeddedPostgres.start(null);
    try {
      Database db = TestDatabases.open(server.spec());
      Migrator.migrate(db, null, false);
      return new RestartableDatabase(server, db);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public Database db() {
    return db;
  }

  /**
   * Restarts the server like a crash (immediate shutdown, no checkpoint): every open connection
   * breaks; returns once it accepts connections again, on the same port.
   */
  public void crashAndRestart() {
    crashAndRestart(Duration.ZERO);
  }

  /** Like {@link #crashAndRestart()}, refusing connections for {@code downtime} first. */
  public void crashAndRestart(Duration downtime) {
    server.restart(true, downtime);
  }

  @Override
  public void close() {
    db.close();
    server.close();
  }
}

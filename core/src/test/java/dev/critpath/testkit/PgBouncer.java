package dev.critpath.testkit;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Assumptions;

/**
 * A private PgBouncer (the Debian package {@code pgbouncer}) on a free port in front of a test
 * server, started and stopped like the embedded PostgreSQL: its own configuration, user list and
 * log in a temporary directory, run as the unprivileged server user when we are root (PgBouncer
 * refuses root), stopped with the JVM at the latest. Never a shared instance. Configured like the
 * poolers users meet: JDBC's startup parameter extra_float_digits is ignored, {@code options} is
 * not.
 */
public final class PgBouncer implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path dir;
  private final int port;
  private final int poolSize;
  private final Thread shutdownHook;

  private PgBouncer(Process process, Path dir, int port, int poolSize) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.poolSize = poolSize;
    this.shutdownHook = new Thread(process::destroy, "critpath-test-pgbouncer-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Skips the calling test, saying why, when PgBouncer is not installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(BINARY), "PgBouncer is not installed: apt-get install pgbouncer");
  }

  /**
   * Starts PgBouncer in front of the server of {@code server}, for every database on it.
   *
   * @param poolMode session or transaction
   * @param poolSize default_pool_size: backends per database and user
   * @param users every user that will log in through it, with its password (null for none); the
   *     user of {@code server} is added
   */
  public static PgBouncer start(
      ConnectionSpec server, String poolMode, int poolSize, Map<String, String> users) {
    assumeInstalled();
    Map<String, String> logins = new LinkedHashMap<>(users);
    logins.put(server.user(), server.password());
    try {
      Path dir =
          Files.createTempDirectory(
              "critpath-pgbouncer-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      int port = freePort();
      Path ini = dir.resolve("pgbouncer.ini");
      Path userlist = dir.resolve("userlist.txt");
      Path log = dir.resolve("pgbouncer.log");
      StringBuilder list = new StringBuilder();
      logins.forEach(
          (user, password) ->
              list.append('"')
                  .append(user)
                  .append("\" \"")
                  .append(password == null ? "" : password)
                  .append("\"\n"));
      Files.writeString(userlist, list);
      Files.writeString(
          ini,
          String.join(
              "\n",
              "[databases]",
              "* = host=" + server.host() + " port=" + server.port(),
              "[pgbouncer]",
              "listen_addr = 127.0.0.1",
              "listen_port = " + port,
              "unix_socket_dir =",
              "auth_type = trust",
              "auth_file = " + userlist,
              "pool_mode = " + poolMode,
              "default_pool_size = " + poolSize,
              "max_client_conn = 500",
              "ignore_startup_parameters = extra_float_digits",
              "logfile = " + log,
              "")); // a trailing newline ends the last line
      Files.createFile(log);
      EmbeddedPostgres.handToServerUser(List.of(dir, ini, userlist, log));
      List<String> cmd = new ArrayList<>(EmbeddedPostgres.asServerUser());
      cmd.add(BINARY.toString());
      cmd.add(ini.toString());
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      PgBouncer bouncer = new PgBouncer(p, dir, port, poolSize);
      try {
        bouncer.awaitReady(server);
      } catch (RuntimeException e) {
        bouncer.close();
        throw e;
      }
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PgBouncer", e);
    }
  }

  public int port() {
    return port;
  }

  /** The same database and user as {@code direct}, reached through this PgBouncer. */
  public ConnectionSpec front(ConnectionSpec direct) {
    return new ConnectionSpec(
        "127.0.0.1", port, direct.database(), direct.user(), direct.password(), direct.params());
  }

  /**
   * The session state of every backend the pool may hand {@code direct}'s user, as one line each:
   * as many clients as the pool has backends each hold one in an open transaction at once, so each
   * line comes from a different backend. A backend that shows something a fresh session does not
   * carries state that a client left behind for the next one.
   */
  public List<String> sessionOfEveryBackend(ConnectionSpec direct) throws SQLException {
    ConnectionSpec through = front(direct);
    List<Connection> held = new ArrayList<>();
    try {
      List<String> states = new ArrayList<>();
      for (int i = 0; i < poolSize; i++) {
        Connection c = DriverManager.getConnection(through.jdbcUrl(), through.credentials());
        held.add(c);
        c.setAutoCommit(false);
        states.add(sessionState(c));
      }
      return states;
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  /** The session state of a new connection straight to the server, for comparison. */
  public static String freshSession(ConnectionSpec direct) throws SQLException {
    try (Connection c = DriverManager.getConnection(direct.jdbcUrl(), direct.credentials())) {
      return sessionState(c);
    }
  }

  /** What a session may carry over: its settings, role, JWT claims and LISTEN channels. */
  private static String sessionState(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT concat_ws(' ', 'read_only=' || current_setting("
                    + "'default_transaction_read_only'), 'statement_timeout=' ||"
                    + " current_setting('statement_timeout'), 'user=' || current_user,"
                    + " 'search_path=' || current_setting('search_path'), 'claims=' ||"
                    + " coalesce(nullif(current_setting('request.jwt.claims', true), ''), '-'),"
                    + " 'listening=' || (SELECT count(*) FROM pg_listening_channels()))")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** PgBouncer's own log, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("pgbouncer.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitReady(ConnectionSpec server) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    ConnectionSpec through = front(server);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("PgBouncer exited during startup: " + log());
      }
      try (Connection c = DriverManager.getConnection(through.jdbcUrl(), through.credentials())) {
        return;
      } catch (SQLException e) {
        last = e;
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while PgBouncer started", ie);
        }
      }
    }
    throw new IllegalStateException(
        "PgBouncer did not accept connections within "
            + STARTUP_TIMEOUT.toSeconds()
            + " s: "
            + (last == null ? "" : last.getMessage())
            + "; log: "
            + log());
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: PgBouncer closes its connections and exits
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      FileUtils.deleteDirectory(dir.toFile());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

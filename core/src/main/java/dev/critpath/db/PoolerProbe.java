package dev.critpath.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.PGStatement;

/**
 * Finds out what is between critpath and PostgreSQL from how backends behave, never from the port
 * number: a transaction pooler serves two open connections from one backend, or moves a connection
 * to another backend between its transactions once another client holds the one it had (with one
 * backend only the first can be seen: the second would wait for itself); a session pooler hands a
 * closed connection's backend to the next connection, while PostgreSQL starts a new backend for
 * each. Leaves nothing behind on the backends it touches.
 */
final class PoolerProbe {
  /** Rounds of each probe: a pooler that picks backends in another order still shows itself. */
  private static final int ROUNDS = 3;

  private static final long REUSE_WAIT_MILLIS = 50;
  private static final String PREPARED_PROBE = "SELECT 'critpath pooler probe'::text";

  /** pgjdbc's names for its named statements; a pooler that tracks them renames them. */
  private static final Pattern DRIVER_STATEMENT_NAME = Pattern.compile("S_[0-9]+");

  /** A mode and the observation it rests on. */
  record Seen(Pooler.Mode mode, String how) {}

  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;

  PoolerProbe(Connector connector) {
    this.connector = connector;
  }

  /**
   * Observes the mode.
   *
   * @param refusedOptions the server refused the startup parameter {@code options}, which
   *     PostgreSQL accepts and PgBouncer does not
   */
  Seen mode(boolean refusedOptions) throws SQLException {
    Set<Integer> seen = new LinkedHashSet<>();
    for (int round = 0; round < ROUNDS; round++) {
      try (Connection a = connector.connect();
          Connection b = connector.connect()) {
        int before = Pooler.backendPid(a);
        int other = Pooler.backendPid(b);
        if (before == other) {
          return new Seen(
              Pooler.Mode.TRANSACTION,
              "two open connections ran on the same backend " + before + " (pg_backend_pid)");
        }
        b.setAutoCommit(false);
        int held = Pooler.backendPid(b);
        int after = Pooler.backendPid(a);
        b.rollback();
        seen.add(before);
        seen.add(held);
        if (before != after) {
          return new Seen(
              Pooler.Mode.TRANSACTION,
              "consecutive transactions of one connection ran on backends "
                  + before
                  + " and "
                  + after
                  + " (pg_backend_pid) while another client held a transaction");
        }
      }
    }
    for (int attempt = 0; attempt < ROUNDS; attempt++) {
      sleep();
      try (Connection c = connector.connect()) {
        int pid = Pooler.backendPid(c);
        if (seen.contains(pid)) {
          return new Seen(
              Pooler.Mode.SESSION,
              "a new connection was given backend "
                  + pid
                  + ", which a closed connection had used, and each connection kept its backend");
        }
        seen.add(pid);
      }
    }
    if (refusedOptions) {
      return new Seen(
          Pooler.Mode.SESSION,
          "the server refused the startup parameter 'options', which PostgreSQL accepts, and each"
              + " connection kept its backend");
    }
    return new Seen(
        Pooler.Mode.DIRECT,
        "each of "
            + seen.size()
            + " connections had a backend of its own (pg_backend_pid), none reused");
  }

  /**
   * Whether named prepared statements survive transaction pooling: a pooler that keeps them per
   * client (PgBouncer 1.21+ with max_prepared_statements) renames them on the server, so the name
   * the driver chose is not what pg_prepared_statements shows. A name that arrives unchanged is
   * deallocated at once, so no other client of the backend trips over it.
   *
   * @return null when they cannot be used, else how their support was seen
   */
  String keptPreparedStatements() throws SQLException {
    try (Connection c = connector.connect();
        Statement st = c.createStatement()) {
      // BEGIN of our own: the driver's would become a named statement too, beside the probe's
      st.execute("BEGIN");
      try {
        try (PreparedStatement ps = c.prepareStatement(PREPARED_PROBE)) {
          ps.unwrap(PGStatement.class).setPrepareThreshold(1); // named from the first execution
          ps.executeQuery().close();
        }
        String name = null;
        try (PreparedStatement ps =
            c.prepareStatement("SELECT name FROM pg_prepared_statements WHERE statement = ?")) {
          ps.setString(1, PREPARED_PROBE);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              name = rs.getString(1);
            }
          }
        }
        if (name == null) {
          return null;
        }
        if (!DRIVER_STATEMENT_NAME.matcher(name).matches()) {
          return "the pooler keeps them per client (the server saw the driver's statement as "
              + name
              + ")";
        }
        st.execute("DEALLOCATE \"" + name + "\"");
        return null;
      } finally {
        st.execute("ROLLBACK");
      }
    }
  }

  private static void sleep() {
    try {
      // a session pooler resets a released backend (DISCARD ALL) before handing it out again
      Thread.sleep(REUSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

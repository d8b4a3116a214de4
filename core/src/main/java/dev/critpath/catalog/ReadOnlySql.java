package dev.critpath.catalog;

import dev.critpath.db.SqlState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * User SQL changes data only where its header says so ({@code -- write:}): everything else runs in
 * a read-only transaction, where PostgreSQL itself refuses any write (SQLSTATE 25006), and the
 * refusal becomes an error that names the file, the line and the header to add.
 */
public final class ReadOnlySql {
  /** Makes the current transaction read-only; allowed at any point of a transaction. */
  public static final String SET_READ_ONLY = "SET TRANSACTION READ ONLY";

  private ReadOnlySql() {}

  /** Work on a connection that may throw SQLException. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} read-only and undoes whatever it did: in a transaction of its own that is
   * rolled back (autocommit connections), or inside the caller's transaction up to a savepoint that
   * is rolled back to (which also restores the transaction's read-write mode).
   */
  public static <T> T run(Connection c, Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    if (autoCommit) {
      c.setAutoCommit(false);
    }
    Savepoint savepoint = autoCommit ? null : c.setSavepoint();
    try {
      try (Statement st = c.createStatement()) {
        st.execute(SET_READ_ONLY);
      }
      return work.run(c);
    } finally {
      if (autoCommit) {
        c.rollback();
        c.setAutoCommit(true);
      } else {
        c.rollback(savepoint);
      }
    }
  }

  /** Whether PostgreSQL refused a write because the transaction was read-only. */
  public static boolean refusedWrite(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && SqlState.READ_ONLY_SQL_TRANSACTION.is(sql)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The error to show for a catalog query that wrote without declaring it; any other error as it
   * is.
   */
  public static SQLException undeclaredWrite(CatalogQuery q, SQLException e) {
    if (!refusedWrite(e)) {
      return e;
    }
    return new SQLException(
        q.sqlLocation()
            + ": '"
            + q.name()
            + "' writes ("
            + firstLine(e.getMessage())
            + ") but its header declares no write: add '-- write: rollback' to the header (or"
            + " '-- write: cleanup' with a '-- cleanup:' line), or make the query read only",
        e.getSQLState(),
        e);
  }

  /** The error for a parameter query ({@code sample(...)}) that tried to write. */
  static SQLException writingParameterQuery(String where, SQLException e) {
    return new SQLException(
        where
            + ": the sample query writes ("
            + firstLine(e.getMessage())
            + "); parameter queries run read-only and may only read: make it a plain SELECT",
        e.getSQLState(),
        e);
  }

  private static String firstLine(String s) {
    String text = s == null ? "" : s.strip();
    if (text.startsWith("ERROR: ")) {
      text = text.substring("ERROR: ".length());
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}

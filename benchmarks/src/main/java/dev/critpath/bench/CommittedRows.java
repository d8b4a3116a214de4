package dev.critpath.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts back, after each iteration and outside the measured time, every row a committed write path
 * changed: its calls commit (so COMMIT and the WAL flush are measured) and the data ends as it was.
 *
 * <p>Which tables a path writes is learnt once from one rolled-back probe call ({@link
 * Caller#tablesWritten}). A table the path only inserts into needs no copy; one whose rows it
 * updates or deletes is copied into a temporary table of this session first. At each iteration's
 * start the current transaction id is noted; at its end every row written by a later transaction
 * (its {@code xmin} is younger) is deleted, and the copied rows missing by primary key are inserted
 * again. This runs with {@code session_replication_role = replica}, so triggers and foreign-key
 * actions do not fire twice: the rows come back exactly as they were, which the suite's table
 * checksums prove. Harness work per call stays zero; the cost is one scan of each written table per
 * iteration, on its own connection.
 */
final class CommittedRows implements AutoCloseable {
  /** Transaction ids are 32 bits on disk; {@code txid_current()} adds an epoch. */
  private static final long XID_RANGE = 1L << 32;

  /** The setting that keeps triggers quiet while rows are put back (needs a superuser). */
  static final String QUIET_TRIGGERS = "SET LOCAL session_replication_role = replica";

  /**
   * A table the path writes.
   *
   * @param copy the temporary copy of its rows, or null when the path only inserts
   */
  record Table(String name, String copy, String columns, String keyMatch) {}

  private final Connection connection;
  private final List<Table> tables;
  private long mark = -1;

  private CommittedRows(Connection connection, List<Table> tables) {
    this.connection = connection;
    this.tables = tables;
  }

  /**
   * Copies the tables whose rows the path changes, on {@code connection}, which this object then
   * owns (the copies live as long as its session).
   *
   * @param written each table the path writes (schema-qualified, quoted) and whether it updates or
   *     deletes rows there
   */
  static CommittedRows prepare(Connection connection, List<Caller.TableWrite> written)
      throws SQLException {
    connection.setAutoCommit(true);
    List<Table> tables = new ArrayList<>();
    for (Caller.TableWrite w : written) {
      if (!w.changesRows()) {
        tables.add(new Table(w.table(), null, null, null));
        continue;
      }
      String copy = "critpath_committed_" + tables.size();
      List<String> key = strings(connection, KEY_COLUMNS, w.table());
      if (key.isEmpty()) {
        throw new SQLException(
            "cannot restore the rows it changes in "
                + w.table()
                + ": the table has no primary key (measure it rolled back only, with --only NAME"
                + " [rolledBack])");
      }
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE IF EXISTS pg_temp." + copy);
        st.execute("CREATE TEMP TABLE " + copy + " AS SELECT * FROM " + w.table());
        st.execute("ANALYZE " + copy);
      }
      List<String> match = new ArrayList<>();
      for (String k : key) {
        match.add("x." + k + " = s." + k);
      }
      tables.add(
          new Table(
              w.table(),
              copy,
              String.join(", ", strings(connection, INSERTABLE_COLUMNS, w.table())),
              String.join(" AND ", match)));
    }
    connection.setAutoCommit(false);
    return new CommittedRows(connection, tables);
  }

  /** Notes where the iteration starts: rows written after this are the path's. */
  void mark() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT txid_current()")) {
      rs.next();
      mark = rs.getLong(1) % XID_RANGE;
    }
    connection.commit();
  }

  /** Deletes every row written since {@link #mark} and inserts the copied rows that are missing. */
  void restore() throws SQLException {
    if (mark < 0) {
      return;
    }
    try (Statement st = connection.createStatement()) {
      st.execute(QUIET_TRIGGERS);
      for (Table t : tables) {
        // age() counts back from now: a row younger than the mark was written by this iteration
        try (PreparedStatement ps =
            connection.prepareStatement(
                "DELETE FROM " + t.name() + " WHERE age(xmin) < age(?::text::xid)")) {
          ps.setString(1, Long.toString(mark));
          ps.executeUpdate();
        }
        if (t.copy() != null) {
          st.executeUpdate(
              "INSERT INTO "
                  + t.name()
                  + " ("
                  + t.columns()
                  + ") OVERRIDING SYSTEM VALUE SELECT "
                  + t.columns()
                  + " FROM "
                  + t.copy()
                  + " s WHERE NOT EXISTS (SELECT 1 FROM "
                  + t.name()
                  + " x WHERE "
                  + t.keyMatch()
                  + ")");
        }
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
    mark = -1;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  private static final String KEY_COLUMNS =
      "SELECT quote_ident(a.attname) FROM pg_index i JOIN pg_attribute a ON a.attrelid ="
          + " i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ?::regclass AND"
          + " i.indisprimary ORDER BY a.attnum";

  /** Generated columns are computed again on insert; every other column is copied back. */
  private static final String INSERTABLE_COLUMNS =
      "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0"
          + " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum";

  private static List<String> strings(Connection c, String sql, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}

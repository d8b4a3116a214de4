package dev.critpath.inspect;

import dev.critpath.db.SqlState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small JDBC helpers for catalog reads that may be refused one by one. */
public final class Sql {
  /** Maps the current row. */
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** A read that may fail. */
  public interface Read<T> {
    T run() throws SQLException;
  }

  /**
   * The outcome of a read inside a savepoint: its value, or why it failed (the transaction stays
   * usable either way).
   */
  public record Attempt<T>(T value, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  private Sql() {}

  public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    }
  }

  /** The first column of the first row, as text; null when there is no row. */
  public static String value(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  public static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /**
   * Runs {@code read} inside a savepoint of the current transaction (autocommit must be off). A
   * refusal rolls back to the savepoint and comes back as a one-line problem naming {@code what}
   * and the fix, so the caller reports what it could read and says what it could not.
   */
  public static <T> Attempt<T> attempt(Connection c, String what, Read<T> read)
      throws SQLException {
    Savepoint sp = c.setSavepoint();
    try {
      T value = read.run();
      c.releaseSavepoint(sp);
      return new Attempt<>(value, null);
    } catch (SQLException e) {
      if (SqlState.isConnectionLoss(e)) {
        throw e;
      }
      c.rollback(sp);
      return new Attempt<>(null, describe(c, what, e));
    }
  }

  /** A refusal as one line: what could not be read, PostgreSQL's reason, and the fix. */
  static String describe(Connection c, String what, SQLException e) throws SQLException {
    String reason = firstLine(e.getMessage());
    if (SqlState.INSUFFICIENT_PRIVILEGE.is(e)) {
      String user = value(c, "SELECT current_user");
      String grant =
          what.endsWith("()") ? "GRANT EXECUTE ON FUNCTION " + what : "GRANT SELECT ON " + what;
      return "cannot read " + what + " (" + reason + "); fix: " + grant + " TO " + user;
    }
    if ("55P03".equals(e.getSQLState())) {
      return "cannot read " + what + " (" + reason + "): a lock is held, try again later";
    }
    return "cannot read " + what + " (" + reason + ")";
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.lines().findFirst().orElse("");
    return line.startsWith("ERROR: ") ? line.substring(7) : line;
  }

  /** An int2vector/oidvector rendered as text ("1 3 2") → its numbers. */
  static long[] vector(String text) {
    if (text == null || text.isBlank()) {
      return new long[0];
    }
    return Arrays.stream(text.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
  }

  static List<String> strings(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    if (array == null) {
      return List.of();
    }
    Object[] values = (Object[]) array.getArray();
    List<String> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add(v == null ? null : v.toString());
    }
    return out;
  }

  /** A bigint[] column; empty for NULL. */
  static long[] longs(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    if (array == null) {
      return new long[0];
    }
    Object[] values = (Object[]) array.getArray();
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).longValue();
    }
    return out;
  }

  static String quoteIdent(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  /** schema.name, quoted only where PostgreSQL would need it. */
  static String qualified(String schema, String name) {
    return ident(schema) + "." + ident(name);
  }

  static String ident(String name) {
    return name.matches("[a-z_][a-z0-9_$]*") ? name : quoteIdent(name);
  }
}

package dev.critpath.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Row count and content checksum of every table in the given schemas: taken before and after a run,
 * they prove the run left the data as it found it (or name the tables it changed). The checksum is
 * order-independent (a sum of row hashes), so it costs one sequential scan per table and no sort.
 */
public final class TableChecksums {

  /** One table's state. */
  public record TableState(String table, long rows, long checksum) {}

  /** A table whose state differs between two snapshots. */
  public record Change(String table, TableState before, TableState after) {}

  private TableChecksums() {}

  public static Map<String, TableState> snapshot(Connection c, List<String> schemas)
      throws SQLException {
    List<String> tables = new ArrayList<>();
    String list =
        String.join(",", schemas.stream().map(s -> "'" + s.replace("'", "''") + "'").toList());
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT format('%I.%I', n.nspname, k.relname) FROM pg_class k"
                    + " JOIN pg_namespace n ON n.oid = k.relnamespace"
                    + " WHERE k.relkind IN ('r', 'p') AND n.nspname IN ("
                    + list
                    + ") ORDER BY 1")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    Map<String, TableState> states = new LinkedHashMap<>();
    try (Statement st = c.createStatement()) {
      for (String table : tables) {
        // hashtextextended over the row's text form: 64-bit, stable across sessions.
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric) % 9223372036854775807, 0)::bigint FROM "
                    + table
                    + " t")) {
          rs.next();
          states.put(table, new TableState(table, rs.getLong(1), rs.getLong(2)));
        }
      }
    }
    return states;
  }

  /** Tables added, removed or changed between two snapshots. */
  public static List<Change> diff(Map<String, TableState> before, Map<String, TableState> after) {
    List<Change> changes = new ArrayList<>();
    for (var entry : before.entrySet()) {
      TableState now = after.get(entry.getKey());
      if (!Objects.equals(entry.getValue(), now)) {
        changes.add(new Change(entry.getKey(), entry.getValue(), now));
      }
    }
    for (var entry : after.entrySet()) {
      if (!before.containsKey(entry.getKey())) {
        changes.add(new Change(entry.getKey(), null, entry.getValue()));
      }
    }
    return changes;
  }
}

package dev.critpath.seed;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes critpath's rows and only those. A row is critpath's when its id lies in its entity's
 * reserved range, or when it references such a row (directly, or through a row that does: a
 * redemption a benchmark wrote for a seeded voucher). Tables that hold nothing else are truncated
 * (fast); the others lose exactly their critpath rows by DELETE. Everything happens in one
 * transaction under table locks, so no foreign row can slip in between the check and the truncate.
 */
final class Cleaner {

  /** What a cleanup did: tables truncated and tables cleaned row by row. */
  record Result(Set<SeedTable> truncated, Set<SeedTable> deleted, long deletedRows) {}

  private Cleaner() {}

  static Result clean(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute(
          "LOCK TABLE " + allTables(EnumSet.allOf(SeedTable.class)) + " IN ACCESS EXCLUSIVE MODE");
      Set<SeedTable> truncatable = EnumSet.noneOf(SeedTable.class);
      for (SeedTable t : SeedTable.values()) {
        if (!hasForeignRows(st, t)) {
          truncatable.add(t);
        }
      }
      truncatable.removeAll(referencedFromOutside(st));
      closeUnderReferences(truncatable);
      if (!truncatable.isEmpty()) {
        st.execute("TRUNCATE " + allTables(truncatable));
      }
      Set<SeedTable> deleted = EnumSet.noneOf(SeedTable.class);
      long deletedRows = 0;
      SeedTable[] order = SeedTable.values();
      for (int i = order.length - 1; i >= 0; i--) {
        SeedTable t = order[i];
        if (!truncatable.contains(t)) {
          deletedRows +=
              st.executeUpdate("DELETE FROM public." + t.sqlName() + " WHERE " + ours(t));
          deleted.add(t);
        }
      }
      c.commit();
      return new Result(truncatable, deleted, deletedRows);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static boolean hasForeignRows(Statement st, SeedTable t) throws SQLException {
    String sql;
    if (t.entity() != null) {
      // The id range test first lets the planner touch only rows outside critpath's range.
      sql =
          "SELECT 1 FROM public."
              + t.sqlName()
              + " WHERE (id < '"
              + SeedTable.lowId(t.entity())
              + "' OR id > '"
              + SeedTable.highId(t.entity())
              + "') AND NOT "
              + ours(t)
              + " LIMIT 1";
    } else {
      // Link tables: rows whose first reference points into critpath's range are critpath's;
      // their primary key leads with that column, so only the others are read.
      SeedTable.ForeignKey first = t.foreignKeys().get(0);
      SeedTable parent = first.parentTable();
      sql =
          "SELECT 1 FROM public."
              + t.sqlName()
              + " WHERE ("
              + first.column()
              + " < '"
              + SeedTable.lowId(parent.entity())
              + "' OR "
              + first.column()
              + " > '"
              + SeedTable.highId(parent.entity())
              + "') AND NOT "
              + ours(t)
              + " LIMIT 1";
    }
    try (ResultSet rs = st.executeQuery(sql)) {
      return rs.next();
    }
  }

  /** Tables some table outside the seeded set references: TRUNCATE would refuse them. */
  private static Set<SeedTable> referencedFromOutside(Statement st) throws SQLException {
    String names =
        EnumSet.allOf(SeedTable.class).stream()
            .map(t -> "'" + t.sqlName() + "'")
            .collect(Collectors.joining(", "));
    Set<SeedTable> out = EnumSet.noneOf(SeedTable.class);
    try (ResultSet rs =
        st.executeQuery(
            "SELECT DISTINCT p.relname FROM pg_constraint k"
                + " JOIN pg_class p ON p.oid = k.confrelid"
                + " JOIN pg_namespace pn ON pn.oid = p.relnamespace"
                + " JOIN pg_class r ON r.oid = k.conrelid"
                + " JOIN pg_namespace rn ON rn.oid = r.relnamespace"
                + " WHERE k.contype = 'f' AND pn.nspname = 'public' AND p.relname IN ("
                + names
                + ") AND NOT (rn.nspname = 'public' AND r.relname IN ("
                + names
                + "))")) {
      while (rs.next()) {
        out.add(SeedTable.named(rs.getString(1)));
      }
    }
    return out;
  }

  /** TRUNCATE of a table needs every table referencing it truncated in the same statement. */
  private static void closeUnderReferences(Set<SeedTable> truncatable) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (SeedTable child : SeedTable.values()) {
        if (truncatable.contains(child)) {
          continue;
        }
        for (SeedTable.ForeignKey fk : child.foreignKeys()) {
          changed |= truncatable.remove(fk.parentTable());
        }
      }
    }
  }

  /**
   * SQL that is true for critpath's rows of {@code t} (never NULL): id in range, a foreign key into
   * a parent's range, or a foreign key to a parent row that is itself critpath's by reference.
   */
  static String ours(SeedTable t) {
    List<String> terms = new ArrayList<>();
    if (t.entity() != null) {
      terms.add(inRange("id", t));
    }
    for (SeedTable.ForeignKey fk : t.foreignKeys()) {
      SeedTable parent = fk.parentTable();
      terms.add(inRange(fk.column(), parent));
      if (!parent.foreignKeys().isEmpty()) {
        terms.add(
            fk.column()
                + " IN (SELECT id FROM public."
                + parent.sqlName()
                + " WHERE (id < '"
                + SeedTable.lowId(parent.entity())
                + "' OR id > '"
                + SeedTable.highId(parent.entity())
                + "') AND "
                + ours(parent)
                + ")");
      }
    }
    return "coalesce((" + String.join(" OR ", terms) + "), false)";
  }

  private static String inRange(String column, SeedTable table) {
    return column
        + " BETWEEN '"
        + SeedTable.lowId(table.entity())
        + "' AND '"
        + SeedTable.highId(table.entity())
        + "'";
  }

  private static String allTables(Set<SeedTable> tables) {
    return tables.stream().map(t -> "public." + t.sqlName()).collect(Collectors.joining(", "));
  }
}

package dev.critpath.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Drops the seeded tables' secondary indexes before the bulk load and rebuilds them after, because
 * one sorted build is far cheaper than a million incremental inserts. Constraint indexes go too
 * when no foreign key needs them and critpath's rows cannot collide with anyone else's (their key
 * holds a critpath id), e.g. the read receipts' primary key.
 *
 * <p>What was dropped is written to {@code critpath.seed_dropped_index} in the same transaction as
 * the drop, so a seed that dies half-way (killed, server gone) leaves the recipe behind and the
 * next seed rebuilds exactly those indexes. The set of indexes and constraints must be the same
 * after a seed as before: {@link #snapshot} compares them.
 */
final class IndexManager {
  static final String PENDING_TABLE = "critpath.seed_dropped_index";

  /** One index (or the constraint it backs) with how to drop and rebuild it. */
  record Dropped(String table, String name, String dropSql, String restoreSql) {}

  private IndexManager() {}

  /**
   * The indexes and constraints of the seeded tables as comparable text: index definitions and
   * constraint definitions, qualified so that the search path does not matter.
   */
  static Set<String> snapshot(Connection c) throws SQLException {
    Set<String> out = new TreeSet<>();
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path = pg_catalog");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i"
                  + " JOIN pg_class t ON t.oid = i.indrelid"
                  + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                  + " WHERE n.nspname = 'public' AND t.relname IN ("
                  + tableList()
                  + ")"
                  + " UNION ALL"
                  + " SELECT 'constraint ' || t.relname || '.' || k.conname || ' '"
                  + " || pg_get_constraintdef(k.oid) FROM pg_constraint k"
                  + " JOIN pg_class t ON t.oid = k.conrelid"
                  + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                  + " WHERE n.nspname = 'public' AND t.relname IN ("
                  + tableList()
                  + ")")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      } finally {
        st.execute("RESET search_path");
      }
    }
    return out;
  }

  /** The indexes this seed may drop: plain indexes, and safe unreferenced PK/UNIQUE constraints. */
  static List<Dropped> droppable(Connection c) throws SQLException {
    List<Dropped> out = new ArrayList<>();
    String sql =
        "SELECT t.relname, x.relname, k.conname, k.contype,"
            + " pg_get_indexdef(i.indexrelid), pg_get_constraintdef(k.oid),"
            + " (SELECT array_agg(a.attname::text) FROM pg_attribute a"
            + "   WHERE a.attrelid = t.oid AND a.attnum = ANY (i.indkey)),"
            + " EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f'"
            + "   AND f.conindid = i.indexrelid)"
            + " FROM pg_index i"
            + " JOIN pg_class t ON t.oid = i.indrelid"
            + " JOIN pg_class x ON x.oid = i.indexrelid"
            + " JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = t.oid"
            + "   AND k.contype IN ('p', 'u', 'x')"
            + " WHERE n.nspname = 'public' AND t.relname IN ("
            + tableList()
            + ") ORDER BY t.relname, x.relname";
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path = pg_catalog");
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          String table = rs.getString(1);
          String index = rs.getString(2);
          String constraint = rs.getString(3);
          if (constraint == null) {
            out.add(
                new Dropped(table, index, "DROP INDEX public." + quote(index), rs.getString(5)));
            continue;
          }
          boolean referenced = rs.getBoolean(8);
          String type = rs.getString(4);
          String[] columns = (String[]) rs.getArray(7).getArray();
          if (!referenced && !type.equals("x") && holdsCritpathKey(table, columns)) {
            out.add(
                new Dropped(
                    table,
                    index,
                    "ALTER TABLE public." + quote(table) + " DROP CONSTRAINT " + quote(constraint),
                    "ALTER TABLE public."
                        + quote(table)
                        + " ADD CONSTRAINT "
                        + quote(constraint)
                        + " "
                        + rs.getString(6)));
          }
        }
      } finally {
        st.execute("RESET search_path");
      }
    }
    return out;
  }

  /**
   * A key that contains the row's critpath id or a foreign key into a critpath entity cannot clash
   * with another row once the cleanup removed every row that references critpath's.
   */
  private static boolean holdsCritpathKey(String table, String[] columns) {
    SeedTable t = SeedTable.named(table);
    for (String col : columns) {
      if (col.equals("id") && t.entity() != null) {
        return true;
      }
      for (SeedTable.ForeignKey fk : t.foreignKeys()) {
        if (fk.column().equals(col)) {
          return true;
        }
      }
    }
    return false;
  }

  static void ensurePendingTable(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      boolean schema;
      try (ResultSet rs = st.executeQuery("SELECT to_regnamespace('critpath') IS NOT NULL")) {
        rs.next();
        schema = rs.getBoolean(1);
      }
      if (!schema) {
        // Only under --allow-unmarked: a database migrated by critpath has the schema.
        st.execute("CREATE SCHEMA critpath");
      }
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + PENDING_TABLE
              + " (name text PRIMARY KEY, table_name text NOT NULL, restore_sql text NOT NULL,"
              + " dropped_at timestamptz NOT NULL DEFAULT now())");
      st.execute(
          "COMMENT ON TABLE "
              + PENDING_TABLE
              + " IS 'Indexes critpath seed dropped for a bulk load and has not rebuilt yet; the"
              + " next seed rebuilds them.'");
    }
  }

  /** Indexes an earlier, interrupted seed dropped and never rebuilt. */
  static List<Dropped> pending(Connection c) throws SQLException {
    List<Dropped> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT table_name, name, restore_sql FROM " + PENDING_TABLE + " ORDER BY name")) {
      while (rs.next()) {
        out.add(new Dropped(rs.getString(1), rs.getString(2), null, rs.getString(3)));
      }
    }
    return out;
  }

  /** Records then drops, in one transaction: a crash leaves either both or neither. */
  static void drop(Connection c, List<Dropped> indexes) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement record =
            c.prepareStatement(
                "INSERT INTO "
                    + PENDING_TABLE
                    + " (name, table_name, restore_sql) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING");
        Statement st = c.createStatement()) {
      for (Dropped d : indexes) {
        record.setString(1, d.name());
        record.setString(2, d.table());
        record.setString(3, d.restoreSql());
        record.executeUpdate();
        st.execute(d.dropSql());
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * Rebuilds one index and forgets its recipe in one transaction, so a connection lost in between
   * cannot leave the index built and its recipe still pending (a later cleanup would build it
   * twice). An index that exists already only has its recipe forgotten.
   */
  static void restore(Connection c, Dropped d) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement();
        PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL");
        PreparedStatement forget =
            c.prepareStatement("DELETE FROM " + PENDING_TABLE + " WHERE name = ?")) {
      exists.setString(1, "public." + quote(d.name()));
      try (ResultSet rs = exists.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          st.execute(d.restoreSql());
        }
      }
      forget.setString(1, d.name());
      forget.executeUpdate();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed); // the connection is gone: the server rolled back
      }
      throw e;
    }
    c.setAutoCommit(autoCommit);
  }

  /** Rebuilds whatever is still recorded as dropped (after a failed seed). */
  static void restoreAll(Connection c) throws SQLException {
    for (Dropped d : pending(c)) {
      restore(c, d);
    }
  }

  private static String tableList() {
    return java.util.Arrays.stream(SeedTable.values())
        .map(t -> "'" + t.sqlName() + "'")
        .collect(Collectors.joining(", "));
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}

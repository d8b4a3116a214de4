package dev.critpath.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Drops what slows a bulk load before it and rebuilds it after, as pg_restore and {@code pgbench
 * -i} do: one sorted index build is far cheaper than a million incremental inserts, and any BEFORE
 * row trigger (even one session_replication_role skips) makes COPY insert row by row instead of in
 * batches. Dropped are the seeded tables' secondary indexes, their enabled triggers, and their
 * primary and unique keys when critpath's rows cannot collide with anyone else's (the key holds a
 * critpath id); a key that foreign keys reference goes only when every one of them is on a seeded
 * table, and those foreign keys go with it.
 *
 * <p>What was dropped is written to {@code critpath.seed_dropped_index} in the same transaction as
 * the drop, so a seed that dies half-way (killed, server gone) leaves the recipe behind and the
 * next seed rebuilds exactly what was dropped. The set of indexes, constraints and triggers must be
 * the same after a seed as before: {@link #snapshot} compares them.
 */
final class IndexManager {
  static final String PENDING_TABLE = "critpath.seed_dropped_index";

  /** What a recipe rebuilds, in the order an interrupted seed's recipes are replayed. */
  enum Kind {
    /** An index, or the primary or unique key it backs: named like the index. */
    INDEX,
    /** Rebuilt after the keys it references. */
    FOREIGN_KEY,
    TRIGGER;

    String sqlName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * One dropped object with how to drop and rebuild it.
   *
   * @param references for a foreign key, the index of the key it references; otherwise null
   */
  record Dropped(
      Kind kind, String table, String name, String dropSql, String restoreSql, String references) {

    /**
     * The recipe's name in the pending table: index names are unique per schema, the rest per
     * table.
     */
    String pendingName() {
      return kind == Kind.INDEX ? name : table + "." + name;
    }

    @Override
    public String toString() {
      return kind.sqlName() + " " + name;
    }
  }

  private IndexManager() {}

  /**
   * The indexes, constraints and triggers of the seeded tables as comparable text, qualified so
   * that the search path does not matter.
   */
  static Set<String> snapshot(Connection c) throws SQLException {
    Set<String> out = new TreeSet<>();
    inCatalogPath(
        c,
        st -> {
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
                      + " || pg_get_constraintdef(k.oid) || CASE WHEN k.convalidated THEN ''"
                      + " ELSE ' (not validated)' END FROM pg_constraint k"
                      + " JOIN pg_class t ON t.oid = k.conrelid"
                      + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                      + " WHERE n.nspname = 'public' AND t.relname IN ("
                      + tableList()
                      + ")"
                      + " UNION ALL"
                      + " SELECT 'trigger ' || pg_get_triggerdef(g.oid) || ' enabled ' || g.tgenabled::text"
                      + " FROM pg_trigger g"
                      + " JOIN pg_class t ON t.oid = g.tgrelid"
                      + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                      + " WHERE NOT g.tgisinternal AND n.nspname = 'public' AND t.relname IN ("
                      + tableList()
                      + ")")) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
        });
    return out;
  }

  /**
   * What this seed may drop, foreign keys before the keys they reference (the order {@link #drop}
   * needs).
   */
  static List<Dropped> droppable(Connection c) throws SQLException {
    List<Dropped> foreignKeys = new ArrayList<>();
    List<Dropped> rest = new ArrayList<>();
    inCatalogPath(
        c,
        st -> {
          Map<String, List<Dropped>> referencing = referencingForeignKeys(st);
          indexes(st, referencing, foreignKeys, rest);
          triggers(st, rest);
        });
    List<Dropped> out = new ArrayList<>(foreignKeys);
    out.addAll(rest);
    return out;
  }

  /** Catalog reads that must not depend on the caller's search path. */
  private interface CatalogWork {
    void run(Statement st) throws SQLException;
  }

  /**
   * Runs {@code work} with search_path = pg_catalog set for one transaction only: through a
   * transaction pooler a session-level SET would stay on a backend other clients share.
   */
  private static void inCatalogPath(Connection c, CatalogWork work) throws SQLException {
    if (!c.getAutoCommit()) {
      throw new IllegalStateException("catalog reads need a connection in autocommit mode");
    }
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL search_path = pg_catalog");
      work.run(st);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * Foreign keys that reference a seeded table, by the index of the key they reference. One from
   * outside the seeded tables, or one not validated (re-adding it would validate it), is listed
   * with a null recipe, which keeps its key in place.
   */
  private static Map<String, List<Dropped>> referencingForeignKeys(Statement st)
      throws SQLException {
    Map<String, List<Dropped>> out = new HashMap<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT x.relname, n.nspname = 'public' AND t.relname IN ("
                + tableList()
                + ") AND f.convalidated, t.relname, f.conname, pg_get_constraintdef(f.oid)"
                + " FROM pg_constraint f"
                + " JOIN pg_class x ON x.oid = f.conindid"
                + " JOIN pg_class p ON p.oid = f.confrelid"
                + " JOIN pg_namespace pn ON pn.oid = p.relnamespace"
                + " JOIN pg_class t ON t.oid = f.conrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE f.contype = 'f' AND pn.nspname = 'public'"
                + " AND p.relname IN ("
                + tableList()
                + ")")) {
      while (rs.next()) {
        String index = rs.getString(1);
        boolean rebuildable = rs.getBoolean(2);
        String table = rs.getString(3);
        String name = rs.getString(4);
        Dropped fk =
            rebuildable
                ? constraint(Kind.FOREIGN_KEY, table, name, name, rs.getString(5), index)
                : null;
        out.computeIfAbsent(index, k -> new ArrayList<>()).add(fk);
      }
    }
    return out;
  }

  private static void indexes(
      Statement st,
      Map<String, List<Dropped>> referencing,
      List<Dropped> foreignKeys,
      List<Dropped> rest)
      throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT t.relname, x.relname, k.conname, k.contype,"
                + " pg_get_indexdef(i.indexrelid), pg_get_constraintdef(k.oid),"
                + " (SELECT array_agg(a.attname::text) FROM pg_attribute a"
                + "   WHERE a.attrelid = t.oid AND a.attnum = ANY (i.indkey))"
                + " FROM pg_index i"
                + " JOIN pg_class t ON t.oid = i.indrelid"
                + " JOIN pg_class x ON x.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = t.oid"
                + "   AND k.contype IN ('p', 'u', 'x')"
                + " WHERE n.nspname = 'public' AND t.relname IN ("
                + tableList()
                + ") ORDER BY t.relname, x.relname")) {
      while (rs.next()) {
        String table = rs.getString(1);
        String index = rs.getString(2);
        String constraint = rs.getString(3);
        List<Dropped> referencedBy = referencing.getOrDefault(index, List.of());
        if (constraint == null) {
          if (referencedBy.isEmpty()) { // a unique index can back a foreign key too
            rest.add(
                new Dropped(
                    Kind.INDEX,
                    table,
                    index,
                    "DROP INDEX public." + quote(index),
                    rs.getString(5),
                    null));
          }
          continue;
        }
        String type = rs.getString(4);
        String[] columns = (String[]) rs.getArray(7).getArray();
        if (!type.equals("x")
            && referencedBy.stream().allMatch(java.util.Objects::nonNull)
            && holdsCritpathKey(table, columns)) {
          foreignKeys.addAll(referencedBy);
          rest.add(constraint(Kind.INDEX, table, index, constraint, rs.getString(6), null));
        }
      }
    }
  }

  /** A constraint dropped with ALTER TABLE and added back from its definition. */
  private static Dropped constraint(
      Kind kind,
      String table,
      String name,
      String constraint,
      String definition,
      String references) {
    String alter = "ALTER TABLE public." + quote(table);
    return new Dropped(
        kind,
        table,
        name,
        alter + " DROP CONSTRAINT " + quote(constraint),
        alter + " ADD CONSTRAINT " + quote(constraint) + " " + definition,
        references);
  }

  /** Enabled triggers; one disabled or set to fire in replica mode is left alone. */
  private static void triggers(Statement st, List<Dropped> rest) throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT t.relname, g.tgname, pg_get_triggerdef(g.oid) FROM pg_trigger g"
                + " JOIN pg_class t ON t.oid = g.tgrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE NOT g.tgisinternal AND g.tgenabled = 'O' AND n.nspname = 'public'"
                + " AND t.relname IN ("
                + tableList()
                + ") ORDER BY t.relname, g.tgname")) {
      while (rs.next()) {
        String table = rs.getString(1);
        String name = rs.getString(2);
        rest.add(
            new Dropped(
                Kind.TRIGGER,
                table,
                name,
                "DROP TRIGGER " + quote(name) + " ON public." + quote(table),
                rs.getString(3),
                null));
      }
    }
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
      // Recipes older than foreign keys and triggers were all indexes.
      st.execute(
          "ALTER TABLE "
              + PENDING_TABLE
              + " ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT '"
              + Kind.INDEX.name()
              + "'");
      st.execute(
          "COMMENT ON TABLE "
              + PENDING_TABLE
              + " IS 'Indexes, keys, foreign keys and triggers critpath seed dropped for a bulk"
              + " load and has not rebuilt yet; the next seed rebuilds them.'");
    }
  }

  /** What an earlier, interrupted seed dropped and never rebuilt, in the order to rebuild it. */
  static List<Dropped> pending(Connection c) throws SQLException {
    List<Dropped> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT kind, table_name, name, restore_sql FROM "
                    + PENDING_TABLE
                    + " ORDER BY name")) {
      while (rs.next()) {
        Kind kind = Kind.valueOf(rs.getString(1));
        String table = rs.getString(2);
        String name = rs.getString(3);
        if (kind != Kind.INDEX) {
          name = name.substring(table.length() + 1);
        }
        out.add(new Dropped(kind, table, name, null, rs.getString(4), null));
      }
    }
    out.sort(Comparator.comparing(Dropped::kind));
    return out;
  }

  /** Records then drops, in one transaction: a crash leaves either both or neither. */
  static void drop(Connection c, List<Dropped> objects) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement record =
            c.prepareStatement(
                "INSERT INTO "
                    + PENDING_TABLE
                    + " (kind, name, table_name, restore_sql) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING");
        Statement st = c.createStatement()) {
      for (Dropped d : objects) {
        record.setString(1, d.kind().name());
        record.setString(2, d.pendingName());
        record.setString(3, d.table());
        record.setString(4, d.restoreSql());
        record.executeUpdate();
        st.execute(d.dropSql());
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * Rebuilds one dropped object and forgets its recipe in one transaction, so a connection lost in
   * between cannot leave it rebuilt and its recipe still pending (a later cleanup would build it
   * twice). One that exists already only has its recipe forgotten.
   */
  static void restore(Connection c, Dropped d) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement();
        PreparedStatement exists = c.prepareStatement(existsSql(d.kind()));
        PreparedStatement forget =
            c.prepareStatement("DELETE FROM " + PENDING_TABLE + " WHERE name = ?")) {
      exists.setString(1, "public." + quote(d.table()));
      exists.setString(2, d.name());
      try (ResultSet rs = exists.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          st.execute(d.restoreSql());
        }
      }
      forget.setString(1, d.pendingName());
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

  /** Whether the object exists on its table: parameters are the qualified table and the name. */
  private static String existsSql(Kind kind) {
    switch (kind) {
      case INDEX:
        return "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_index i"
            + " JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid"
            + " WHERE i.indrelid = to_regclass(?) AND x.relname = ?)";
      case FOREIGN_KEY:
        return "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint"
            + " WHERE conrelid = to_regclass(?) AND conname = ?)";
      case TRIGGER:
        return "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger"
            + " WHERE tgrelid = to_regclass(?) AND tgname = ?)";
      default:
        throw new IllegalArgumentException(kind.name());
    }
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

package dev.critpath.inspect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The indexes and foreign keys of the user's schemas, read from the system catalogs (which every
 * role may read). System schemas and objects that belong to extensions are left out. A partitioned
 * table is one table here: its partitioned indexes stand for the partitions' attached indexes
 * (which cannot be dropped on their own) and its foreign keys for the partitions' clones.
 *
 * @param partitions each partitioned table's leaf partitions (oid → schema-qualified names), when
 *     they are all one level below it; a table partitioned on several levels maps to an empty list
 */
public record SchemaModel(
    List<IndexDef> indexes, List<ForeignKey> foreignKeys, Map<Long, List<Partition>> partitions) {

  /** A leaf partition of a partitioned table. */
  public record Partition(String schema, String name) {}

  /** The table's leaf partitions; null for a table that is not partitioned. */
  List<Partition> partitionsOf(long tableOid) {
    return partitions.get(tableOid);
  }

  /** Object filter shared by every catalog query; {@code $SCHEMAS} is the optional schema list. */
  static final String USER_RELATION =
      " n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname !~ '^pg_(toast|temp)'"
          + " AND (cardinality(?::text[]) = 0 OR n.nspname = ANY (?::text[]))"
          + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
          + "   AND d.objid = t.oid AND d.deptype = 'e')";

  private static final String INDEXES =
      "SELECT i.indexrelid::bigint AS oid, n.nspname AS schema, t.relname AS table_name,"
          + " t.oid::bigint AS table_oid, ic.relname AS index_name, am.amname AS method,"
          + " i.indisunique, i.indisprimary, i.indisvalid, i.indisready, i.indnkeyatts,"
          + " i.indkey::text AS indkey, i.indclass::text AS indclass,"
          + " i.indcollation::text AS indcollation, i.indoption::text AS indoption,"
          + " pg_get_expr(i.indpred, i.indrelid) AS predicate,"
          + " array(SELECT pg_get_indexdef(i.indexrelid, k, true)"
          + "       FROM generate_series(1, i.indnatts) k ORDER BY k) AS columns,"
          + " pg_get_indexdef(i.indexrelid) AS definition,"
          + " %s AS size_bytes, %s AS table_bytes,"
          + leafSum("i.indexrelid", "ic", "c.relpages", "ic.relpages")
          + " AS relpages,"
          + leafSum("i.indexrelid", "ic", "greatest(c.reltuples, 0)", "ic.reltuples")
          + " AS reltuples,"
          + leafSum("t.oid", "t", "c.relpages", "t.relpages")
          + " AS table_pages,"
          + leafSum("t.oid", "t", "greatest(c.reltuples, 0)", "t.reltuples")
          + " AS table_tuples,"
          + " array(SELECT p.relid::bigint FROM pg_partition_tree(i.indexrelid) p"
          + "       WHERE p.isleaf AND ic.relkind = 'I') AS leaves,"
          + " t.relkind = 'p' AS partitioned, con.conname, con.contype::text AS contype"
          + " FROM pg_index i"
          + " JOIN pg_class ic ON ic.oid = i.indexrelid"
          + " JOIN pg_class t ON t.oid = i.indrelid"
          + " JOIN pg_namespace n ON n.oid = t.relnamespace"
          + " JOIN pg_am am ON am.oid = ic.relam"
          + " LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid"
          + "   AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')"
          + " WHERE t.relkind IN ('r', 'm', 'p') AND NOT ic.relispartition AND"
          + USER_RELATION
          + " ORDER BY n.nspname, t.relname, ic.relname";

  /**
   * Exact size (of all leaf partitions for a partitioned relation); opens each index
   * (AccessShareLock), hence the lock_timeout and the fallback.
   */
  private static final String[] EXACT_SIZE = {
    leafSum("i.indexrelid", "ic", "pg_relation_size(c.oid)", "pg_relation_size(ic.oid)"),
    leafSum("t.oid", "t", "pg_relation_size(c.oid)", "pg_relation_size(t.oid)")
  };

  /** Lock-free size as of the last VACUUM/ANALYZE/CREATE INDEX. */
  private static final String[] CATALOG_SIZE = {
    leafSum("i.indexrelid", "ic", "c.relpages::bigint", "ic.relpages::bigint")
        + " * current_setting('block_size')::bigint",
    leafSum("t.oid", "t", "c.relpages::bigint", "t.relpages::bigint")
        + " * current_setting('block_size')::bigint"
  };

  /** PostgreSQL's default page size; only used to turn bytes into pages for the size rule. */
  private static final long BLOCK_SIZE = 8192;

  private static final String FOREIGN_KEYS =
      "SELECT c.conname, n.nspname AS schema, t.relname AS table_name, t.oid::bigint AS table_oid,"
          + " array_to_string(c.conkey, ' ') AS conkey,"
          + " array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)"
          + "       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
          + "       ORDER BY k.ord) AS columns,"
          + " c.confrelid::regclass::text AS referenced, "
          + leafSum("t.oid", "t", "c.relpages", "t.relpages")
          + " AS relpages, "
          + leafSum("t.oid", "t", "greatest(c.reltuples, 0)", "t.reltuples")
          + " AS reltuples"
          + " FROM pg_constraint c"
          + " JOIN pg_class t ON t.oid = c.conrelid"
          + " JOIN pg_namespace n ON n.oid = t.relnamespace"
          + " WHERE c.contype = 'f' AND t.relkind IN ('r', 'p') AND c.conparentid = 0 AND"
          + USER_RELATION
          + " ORDER BY n.nspname, t.relname, c.conname";

  /** Leaf partitions of each partitioned table, and whether any of them is partitioned again. */
  private static final String PARTITIONS =
      "SELECT t.oid::bigint AS oid, bool_and(p.level = 1) AS one_level,"
          + " array_agg(pn.nspname::text ORDER BY pc.relname) FILTER (WHERE p.isleaf) AS schemas,"
          + " array_agg(pc.relname::text ORDER BY pc.relname) FILTER (WHERE p.isleaf) AS names"
          + " FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace"
          + " CROSS JOIN LATERAL pg_partition_tree(t.oid) p"
          + " JOIN pg_class pc ON pc.oid = p.relid JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
          + " WHERE t.relkind = 'p' AND p.level > 0 AND"
          + USER_RELATION
          + " GROUP BY t.oid";

  /**
   * {@code leafExpr} summed over the leaf partitions of a partitioned relation ({@code c} is each
   * leaf's pg_class row), or {@code plainExpr} for any other relation.
   */
  private static String leafSum(String oid, String alias, String leafExpr, String plainExpr) {
    return "(CASE WHEN "
        + alias
        + ".relkind IN ('p', 'I') THEN (SELECT coalesce(sum("
        + leafExpr
        + "), 0) FROM pg_partition_tree("
        + oid
        + ") p JOIN pg_class c ON c.oid = p.relid WHERE p.isleaf) ELSE "
        + plainExpr
        + " END)";
  }

  /**
   * Reads the model. Sizes come from pg_relation_size; when a relation is locked exclusively past
   * lock_timeout, from pg_class.relpages instead ({@code exactSizes} false).
   */
  public static SchemaModel read(Connection c, String[] schemas) throws SQLException {
    Sql.Attempt<List<IndexDef>> exact =
        Sql.attempt(c, "index sizes", () -> indexes(c, schemas, EXACT_SIZE));
    List<IndexDef> indexes = exact.ok() ? exact.value() : indexes(c, schemas, CATALOG_SIZE);
    List<ForeignKey> fks =
        Sql.list(
            c,
            FOREIGN_KEYS,
            rs ->
                new ForeignKey(
                    rs.getString("conname"),
                    rs.getString("schema"),
                    rs.getString("table_name"),
                    rs.getLong("table_oid"),
                    Sql.vector(rs.getString("conkey")),
                    Sql.strings(rs, "columns"),
                    rs.getString("referenced"),
                    rs.getLong("relpages"),
                    rs.getDouble("reltuples")),
            schemas,
            schemas);
    Map<Long, List<Partition>> partitions = new HashMap<>();
    Sql.list(
        c,
        PARTITIONS,
        rs -> {
          List<String> leafSchemas = Sql.strings(rs, "schemas");
          List<String> names = Sql.strings(rs, "names");
          List<Partition> leaves = new ArrayList<>();
          for (int i = 0; i < names.size() && rs.getBoolean("one_level"); i++) {
            leaves.add(new Partition(leafSchemas.get(i), names.get(i)));
          }
          return partitions.put(rs.getLong("oid"), List.copyOf(leaves));
        },
        schemas,
        schemas);
    return new SchemaModel(indexes, fks, partitions);
  }

  private static List<IndexDef> indexes(Connection c, String[] schemas, String[] sizeExprs)
      throws SQLException {
    return Sql.list(
        c,
        String.format(INDEXES, sizeExprs[0], sizeExprs[1]),
        SchemaModel::index,
        schemas,
        schemas);
  }

  private static IndexDef index(ResultSet rs) throws SQLException {
    int keys = rs.getInt("indnkeyatts");
    return new IndexDef(
        rs.getLong("oid"),
        rs.getString("schema"),
        rs.getString("table_name"),
        rs.getLong("table_oid"),
        rs.getString("index_name"),
        rs.getString("method"),
        rs.getBoolean("indisunique"),
        rs.getBoolean("indisprimary"),
        rs.getBoolean("indisvalid"),
        rs.getBoolean("indisready"),
        keys,
        Sql.vector(rs.getString("indkey")),
        Sql.strings(rs, "columns"),
        Sql.vector(rs.getString("indclass")),
        Sql.vector(rs.getString("indcollation")),
        Sql.vector(rs.getString("indoption")),
        rs.getString("predicate"),
        rs.getString("conname"),
        rs.getString("contype"),
        rs.getString("definition"),
        rs.getLong("size_bytes"),
        rs.getLong("relpages"),
        rs.getDouble("reltuples"),
        Math.max(rs.getLong("table_pages"), rs.getLong("table_bytes") / BLOCK_SIZE),
        rs.getDouble("table_tuples"),
        rs.getLong("table_bytes"),
        rs.getBoolean("partitioned"),
        Sql.longs(rs, "leaves"));
  }
}

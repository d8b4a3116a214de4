package dev.critpath.inspect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Bloat and NULL-share estimates from the planner's statistics (pg_stats) and the page counts of
 * the last VACUUM/ANALYZE: no table is read, so it is cheap on any database, and it is an estimate
 * (alignment padding is approximated, TOAST is not modelled; btree deduplication, PostgreSQL 13+,
 * is: duplicates of a key share one tuple and cost a 6-byte heap pointer each). pg_stats shows only
 * columns the role may SELECT; relations without visible statistics are counted, not guessed.
 */
final class Estimates {
  /** Page header size (PageHeaderData). */
  private static final int PAGE_HEADER = 24;

  /** Heap tuple header (HeapTupleHeaderData) before the null bitmap. */
  private static final int HEAP_TUPLE_HEADER = 23;

  /** Index tuple header (IndexTupleData); 16 with the null bitmap. */
  private static final int INDEX_TUPLE_HEADER = 8;

  private static final int INDEX_TUPLE_HEADER_WITH_NULLS = 16;

  /** A line pointer (ItemIdData) per tuple. */
  private static final int LINE_POINTER = 4;

  /** Btree special space (BTPageOpaqueData). */
  private static final int BTREE_SPECIAL = 16;

  /** MaxHeapTuplesPerPage for 8 kB pages. */
  private static final int MAX_HEAP_TUPLES_PER_PAGE = 291;

  private static final int DEFAULT_HEAP_FILLFACTOR = 100;
  private static final int DEFAULT_BTREE_FILLFACTOR = 90;

  /** A heap TID in a btree posting list (ItemPointerData). */
  private static final int POSTING_TID = 6;

  /**
   * An estimate for one relation; {@code estimated} false when its statistics are missing.
   *
   * @param partitionOf for a partition's index, the partitioned index it belongs to (qualified)
   */
  record Estimate(
      String schema,
      String table,
      String name,
      long oid,
      long pages,
      long expectedPages,
      int blockSize,
      boolean estimated,
      String partitionOf) {

    long wastedBytes() {
      return Math.max(0, pages - expectedPages) * blockSize;
    }

    double wastedShare() {
      return pages == 0 ? 0 : Math.max(0, pages - expectedPages) / (double) pages;
    }
  }

  /** A single-column btree index and the NULL share of its column. */
  record NullShare(long indexOid, String column, double nullFraction) {}

  private static final String FILTER = SchemaModel.USER_RELATION;

  private static final String TABLES =
      "WITH cols AS ("
          + " SELECT a.attrelid, count(*) AS natts, count(s.attname) AS nstats,"
          + "  sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0)) AS data_width,"
          + "  bool_or(coalesce(s.null_frac, 0) > 0) AS has_nulls"
          + " FROM pg_attribute a"
          + " JOIN pg_class t ON t.oid = a.attrelid"
          + " JOIN pg_namespace n ON n.oid = t.relnamespace"
          + " LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname"
          + "  AND s.attname = a.attname AND NOT s.inherited"
          + " WHERE a.attnum > 0 AND NOT a.attisdropped AND t.relkind IN ('r', 'm')"
          + "  AND t.relpages >= ? AND"
          + FILTER
          + " GROUP BY a.attrelid)"
          + " SELECT n.nspname, t.relname, t.oid::bigint AS oid, t.relpages, t.reltuples,"
          + " coalesce((SELECT option_value FROM pg_options_to_table(t.reloptions)"
          + "   WHERE option_name = 'fillfactor'), ?)::int AS fillfactor,"
          + " current_setting('block_size')::int AS block_size,"
          + " cols.natts, cols.nstats, cols.data_width, cols.has_nulls"
          + " FROM cols JOIN pg_class t ON t.oid = cols.attrelid"
          + " JOIN pg_namespace n ON n.oid = t.relnamespace"
          + " ORDER BY n.nspname, t.relname";

  private static final String BTREES =
      "SELECT n.nspname, t.relname, ic.relname AS index_name, ic.oid::bigint AS oid,"
          + " ic.relpages, ic.reltuples,"
          + " coalesce((SELECT option_value FROM pg_options_to_table(ic.reloptions)"
          + "   WHERE option_name = 'fillfactor'), ?)::int AS fillfactor,"
          + " current_setting('block_size')::int AS block_size,"
          + " count(*) AS natts, count(s.attname) AS nstats,"
          + " sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0)) AS data_width,"
          + " bool_or(coalesce(s.null_frac, 0) > 0) AS has_nulls,"
          // distinct keys (n_distinct < 0 is a share of the rows), for deduplication
          + " exp(sum(ln(greatest(1, CASE WHEN s.n_distinct < 0"
          + "   THEN -s.n_distinct * greatest(t.reltuples, 0) ELSE s.n_distinct END)))) AS keys,"
          + " current_setting('server_version_num')::int >= 130000 AND NOT i.indisunique"
          + "  AND i.indnatts = i.indnkeyatts"
          + "  AND coalesce((SELECT option_value FROM pg_options_to_table(ic.reloptions)"
          + "   WHERE option_name = 'deduplicate_items'), 'on') IN ('on', 'true')"
          // every key's operator class declares equality means image equality (btequalimage)
          + "  AND bool_and(EXISTS (SELECT 1 FROM pg_opclass oc JOIN pg_amproc ap"
          + "   ON ap.amprocfamily = oc.opcfamily AND ap.amprocnum = 4"
          + "   WHERE oc.oid = i.indclass[k.ord - 1])) AS dedup,"
          + " (SELECT quote_ident(rn.nspname) || '.' || quote_ident(rc.relname) FROM pg_class rc"
          + "   JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
          + "   WHERE ic.relispartition AND rc.oid = pg_partition_root(ic.oid)) AS partition_of"
          + " FROM pg_index i"
          + " JOIN pg_class ic ON ic.oid = i.indexrelid"
          + " JOIN pg_class t ON t.oid = i.indrelid"
          + " JOIN pg_namespace n ON n.oid = t.relnamespace"
          + " JOIN pg_am am ON am.oid = ic.relam"
          + " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
          + " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
          + " LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname"
          + "  AND s.attname = a.attname AND NOT s.inherited"
          + " WHERE am.amname = 'btree' AND i.indisvalid AND t.relkind IN ('r', 'm')"
          + "  AND ic.relpages >= ? AND"
          + FILTER
          + " GROUP BY n.nspname, t.relname, ic.relname, ic.oid, ic.relpages, ic.reltuples,"
          + "  ic.reloptions, i.indisunique, i.indnatts, i.indnkeyatts, ic.relispartition,"
          + "  t.reltuples"
          + " ORDER BY n.nspname, t.relname, ic.relname";

  private static final String NULLS =
      "SELECT i.indexrelid::bigint AS oid, a.attname::text AS attname, s.null_frac"
          + " FROM pg_index i"
          + " JOIN pg_class ic ON ic.oid = i.indexrelid"
          + " JOIN pg_class t ON t.oid = i.indrelid"
          + " JOIN pg_namespace n ON n.oid = t.relnamespace"
          + " JOIN pg_am am ON am.oid = ic.relam"
          + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
          + " JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname"
          // a partitioned table's statistics cover its partitions (inherited)
          + "  AND s.attname = a.attname AND s.inherited = (t.relkind = 'p')"
          + " WHERE i.indnkeyatts = 1 AND i.indkey[0] <> 0 AND i.indpred IS NULL"
          + "  AND am.amname = 'btree' AND t.relkind IN ('r', 'm', 'p') AND NOT ic.relispartition"
          + "  AND s.null_frac >= ? AND"
          + FILTER;

  private Estimates() {}

  static List<Estimate> tables(Connection c, String[] schemas, long minPages) throws SQLException {
    return Sql.list(
        c,
        TABLES,
        rs -> {
          long natts = rs.getLong("natts");
          boolean complete = rs.getLong("nstats") == natts && rs.getDouble("reltuples") >= 0;
          int blockSize = rs.getInt("block_size");
          long expected = 0;
          if (complete) {
            int bitmap = rs.getBoolean("has_nulls") ? (int) ((natts + 7) / 8) : 0;
            long tuple =
                align(HEAP_TUPLE_HEADER + bitmap)
                    + align((long) Math.ceil(rs.getDouble("data_width")));
            long usable = (long) (blockSize - PAGE_HEADER) * rs.getInt("fillfactor") / 100;
            long perPage =
                Math.max(1, Math.min(MAX_HEAP_TUPLES_PER_PAGE, usable / (tuple + LINE_POINTER)));
            expected = (long) Math.ceil(rs.getDouble("reltuples") / perPage);
          }
          return new Estimate(
              rs.getString("nspname"),
              rs.getString("relname"),
              rs.getString("relname"),
              rs.getLong("oid"),
              rs.getLong("relpages"),
              expected,
              blockSize,
              complete,
              null);
        },
        minPages,
        schemas,
        schemas,
        String.valueOf(DEFAULT_HEAP_FILLFACTOR));
  }

  static List<Estimate> btrees(Connection c, String[] schemas, long minPages) throws SQLException {
    return Sql.list(
        c,
        BTREES,
        rs -> {
          boolean complete =
              rs.getLong("nstats") == rs.getLong("natts") && rs.getDouble("reltuples") >= 0;
          int blockSize = rs.getInt("block_size");
          long expected = 0;
          if (complete) {
            int header =
                rs.getBoolean("has_nulls") ? INDEX_TUPLE_HEADER_WITH_NULLS : INDEX_TUPLE_HEADER;
            long tuple = align(header + (long) Math.ceil(rs.getDouble("data_width")));
            long usable =
                (long) (blockSize - PAGE_HEADER - BTREE_SPECIAL) * rs.getInt("fillfactor") / 100;
            long perPage = Math.max(1, usable / (tuple + LINE_POINTER));
            double entries = rs.getDouble("reltuples");
            double keys = Math.min(entries, rs.getDouble("keys"));
            long leaves = (long) Math.ceil(entries / perPage);
            if (rs.getBoolean("dedup") && keys < entries) {
              // one tuple per distinct key, plus a heap pointer per duplicate in its posting list
              double bytes =
                  keys * (tuple + LINE_POINTER) + (entries - keys) * (double) POSTING_TID;
              leaves = Math.min(leaves, (long) Math.ceil(bytes / usable));
            }
            long inner = (long) Math.ceil(leaves / (double) perPage);
            expected = 1 + Math.max(1, leaves) + inner; // + the metapage
          }
          return new Estimate(
              rs.getString("nspname"),
              rs.getString("relname"),
              rs.getString("index_name"),
              rs.getLong("oid"),
              rs.getLong("relpages"),
              expected,
              blockSize,
              complete,
              rs.getString("partition_of"));
        },
        String.valueOf(DEFAULT_BTREE_FILLFACTOR),
        minPages,
        schemas,
        schemas);
  }

  static List<NullShare> nullShares(Connection c, String[] schemas, double minFraction)
      throws SQLException {
    return Sql.list(
        c,
        NULLS,
        rs -> new NullShare(rs.getLong("oid"), rs.getString("attname"), rs.getDouble("null_frac")),
        minFraction,
        schemas,
        schemas);
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }
}

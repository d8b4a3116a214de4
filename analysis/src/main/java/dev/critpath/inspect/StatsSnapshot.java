package dev.critpath.inspect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cumulative index and table counters of one database at one moment. Counters only grow (until
 * someone resets them), so what a benchmark used is the difference of two snapshots: see {@link
 * StatsDelta}. Taking a snapshot never resets anything.
 *
 * <p>Reading rules (PostgreSQL 15+ keeps statistics in shared memory): this backend's pending
 * counters are flushed first with {@code pg_stat_force_next_flush()}; the views are then read in a
 * fresh transaction, because with {@code stats_fetch_consistency = cache} a transaction keeps
 * returning the values it saw first. Other backends flush at least every few seconds and when they
 * disconnect, so a benchmark that closed its pool has flushed.
 *
 * @param statsReset when this database's statistics were last reset (null: never)
 * @param problems views that could not be read; their counters are absent, not zero
 */
public record StatsSnapshot(
    Instant takenAt,
    Instant statsReset,
    int serverVersion,
    Map<Long, IndexCounters> indexes,
    Map<Long, TableCounters> tables,
    List<String> problems) {

  /**
   * One index's counters.
   *
   * @param lastScan last scan time (PostgreSQL 16+; null before or when never scanned)
   */
  public record IndexCounters(
      long oid,
      String schema,
      String table,
      String name,
      long scans,
      long tuplesRead,
      long tuplesFetched,
      Instant lastScan,
      Long blocksRead,
      Long blocksHit) {}

  /**
   * One table's counters; blocks are null when pg_statio_user_tables was not readable.
   *
   * @param inserted rows inserted since the statistics reset
   * @param indexTuplesFetched rows fetched through index scans since the reset
   */
  public record TableCounters(
      long oid,
      String schema,
      String name,
      long seqScans,
      long seqTuplesRead,
      long indexScans,
      long inserted,
      long indexTuplesFetched,
      long liveTuples,
      long deadTuples,
      Instant lastAnalyze,
      Long heapBlocksRead,
      Long heapBlocksHit,
      Long indexBlocksRead,
      Long indexBlocksHit) {

    /**
     * Most of its rows arrived since the reset and it has been scanned fewer than {@value
     * Checks#MIN_TRAFFIC_SCANS} times: its counters are a bulk load's (and its index builds'), not
     * the query traffic the usage and hit-ratio rules are meant to judge.
     */
    public boolean justLoaded() {
      return inserted > 0
          && inserted * 2 >= liveTuples
          && seqScans + indexScans < Checks.MIN_TRAFFIC_SCANS;
    }
  }

  static final String INDEX_VIEW = "pg_catalog.pg_stat_user_indexes";
  static final String INDEX_IO_VIEW = "pg_catalog.pg_statio_user_indexes";
  static final String TABLE_VIEW = "pg_catalog.pg_stat_user_tables";
  static final String TABLE_IO_VIEW = "pg_catalog.pg_statio_user_tables";

  /** True when the index counters could be read. */
  @JsonIgnore
  public boolean indexCountersReadable() {
    return problems.stream().noneMatch(p -> p.contains(INDEX_VIEW));
  }

  @JsonIgnore
  public boolean tableCountersReadable() {
    return problems.stream().noneMatch(p -> p.contains(TABLE_VIEW));
  }

  @JsonIgnore
  public boolean tableBlocksReadable() {
    return problems.stream().noneMatch(p -> p.contains(TABLE_IO_VIEW));
  }

  @JsonIgnore
  public boolean indexBlocksReadable() {
    return problems.stream().noneMatch(p -> p.contains(INDEX_IO_VIEW));
  }

  /**
   * Flushes this backend's statistics, then reads every counter in a new read-only transaction. The
   * connection must not be inside a transaction; it is left in autocommit mode.
   */
  public static StatsSnapshot take(Connection c) throws SQLException {
    List<String> problems = new ArrayList<>();
    int version = c.getMetaData().getDatabaseMajorVersion() * 10000;
    boolean autoCommit = c.getAutoCommit();
    boolean readOnly = c.isReadOnly();
    c.setAutoCommit(true);
    flush(c, version, problems);
    c.setReadOnly(true);
    c.setAutoCommit(false);
    try {
      Sql.exec(c, "SELECT pg_stat_clear_snapshot()");
      Instant now =
          Sql.list(c, "SELECT statement_timestamp()", rs -> rs.getTimestamp(1).toInstant()).get(0);
      Sql.Attempt<Instant> reset =
          Sql.attempt(
              c,
              "pg_catalog.pg_stat_database",
              () -> {
                List<Instant> resets =
                    Sql.list(
                        c,
                        "SELECT stats_reset FROM pg_stat_database"
                            + " WHERE datname = current_database()",
                        rs -> instant(rs, "stats_reset"));
                return resets.isEmpty() ? null : resets.get(0);
              });
      note(reset, problems);
      Map<Long, IndexCounters> indexes = readIndexes(c, version, problems);
      Map<Long, TableCounters> tables = readTables(c, problems);
      c.commit();
      return new StatsSnapshot(now, reset.value(), version, indexes, tables, List.copyOf(problems));
    } finally {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      c.setAutoCommit(autoCommit);
      c.setReadOnly(readOnly);
    }
  }

  /**
   * Makes this backend's pending counters visible to others (PostgreSQL 15+; older servers flush on
   * their own within 500 ms). Benchmarks call it on their connections before a snapshot.
   */
  public static void flush(Connection c) throws SQLException {
    flush(c, c.getMetaData().getDatabaseMajorVersion() * 10000, new ArrayList<>());
  }

  private static void flush(Connection c, int version, List<String> problems) {
    if (version < 150000) {
      return;
    }
    try {
      // The flag takes effect when this (autocommit) statement's transaction ends.
      Sql.exec(c, "SELECT pg_stat_force_next_flush()");
    } catch (SQLException e) {
      problems.add(
          "could not flush statistics ("
              + Sql.firstLine(e.getMessage())
              + "): counters of this"
              + " session may lag by up to a few seconds");
    }
  }

  private static Map<Long, IndexCounters> readIndexes(
      Connection c, int version, List<String> problems) throws SQLException {
    String lastScan = version >= 160000 ? "s.last_idx_scan" : "NULL::timestamptz";
    Sql.Attempt<List<IndexCounters>> counters =
        Sql.attempt(
            c,
            INDEX_VIEW,
            () ->
                Sql.list(
                    c,
                    "SELECT s.indexrelid::bigint AS oid, s.schemaname, s.relname, s.indexrelname,"
                        + " s.idx_scan, s.idx_tup_read, s.idx_tup_fetch, "
                        + lastScan
                        + " AS last_scan FROM pg_stat_user_indexes s",
                    rs ->
                        new IndexCounters(
                            rs.getLong("oid"),
                            rs.getString("schemaname"),
                            rs.getString("relname"),
                            rs.getString("indexrelname"),
                            rs.getLong("idx_scan"),
                            rs.getLong("idx_tup_read"),
                            rs.getLong("idx_tup_fetch"),
                            instant(rs, "last_scan"),
                            null,
                            null)));
    note(counters, problems);
    Map<Long, IndexCounters> out = new LinkedHashMap<>();
    if (!counters.ok()) {
      return out;
    }
    counters.value().forEach(ic -> out.put(ic.oid(), ic));
    Sql.Attempt<List<long[]>> io =
        Sql.attempt(
            c,
            INDEX_IO_VIEW,
            () ->
                Sql.list(
                    c,
                    "SELECT indexrelid::bigint, coalesce(idx_blks_read, 0),"
                        + " coalesce(idx_blks_hit, 0) FROM pg_statio_user_indexes",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}));
    note(io, problems);
    if (io.ok()) {
      for (long[] row : io.value()) {
        out.computeIfPresent(
            row[0],
            (oid, ic) ->
                new IndexCounters(
                    ic.oid(),
                    ic.schema(),
                    ic.table(),
                    ic.name(),
                    ic.scans(),
                    ic.tuplesRead(),
                    ic.tuplesFetched(),
                    ic.lastScan(),
                    row[1],
                    row[2]));
      }
    }
    return out;
  }

  private static Map<Long, TableCounters> readTables(Connection c, List<String> problems)
      throws SQLException {
    Sql.Attempt<List<TableCounters>> counters =
        Sql.attempt(
            c,
            TABLE_VIEW,
            () ->
                Sql.list(
                    c,
                    "SELECT relid::bigint AS oid, schemaname, relname, coalesce(seq_scan, 0) AS"
                        + " seq_scan, coalesce(seq_tup_read, 0) AS seq_tup_read,"
                        + " coalesce(idx_scan, 0) AS idx_scan, n_tup_ins,"
                        + " coalesce(idx_tup_fetch, 0) AS idx_tup_fetch, n_live_tup, n_dead_tup,"
                        + " greatest(last_analyze, last_autoanalyze) AS last_analyze"
                        + " FROM pg_stat_user_tables",
                    rs ->
                        new TableCounters(
                            rs.getLong("oid"),
                            rs.getString("schemaname"),
                            rs.getString("relname"),
                            rs.getLong("seq_scan"),
                            rs.getLong("seq_tup_read"),
                            rs.getLong("idx_scan"),
                            rs.getLong("n_tup_ins"),
                            rs.getLong("idx_tup_fetch"),
                            rs.getLong("n_live_tup"),
                            rs.getLong("n_dead_tup"),
                            instant(rs, "last_analyze"),
                            null,
                            null,
                            null,
                            null)));
    note(counters, problems);
    Map<Long, TableCounters> out = new LinkedHashMap<>();
    if (!counters.ok()) {
      return out;
    }
    counters.value().forEach(tc -> out.put(tc.oid(), tc));
    Sql.Attempt<List<long[]>> io =
        Sql.attempt(
            c,
            TABLE_IO_VIEW,
            () ->
                Sql.list(
                    c,
                    "SELECT relid::bigint, coalesce(heap_blks_read, 0), coalesce(heap_blks_hit, 0),"
                        + " coalesce(idx_blks_read, 0), coalesce(idx_blks_hit, 0)"
                        + " FROM pg_statio_user_tables",
                    rs ->
                        new long[] {
                          rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)
                        }));
    note(io, problems);
    if (io.ok()) {
      for (long[] row : io.value()) {
        out.computeIfPresent(
            row[0],
            (oid, tc) ->
                new TableCounters(
                    tc.oid(),
                    tc.schema(),
                    tc.name(),
                    tc.seqScans(),
                    tc.seqTuplesRead(),
                    tc.indexScans(),
                    tc.inserted(),
                    tc.indexTuplesFetched(),
                    tc.liveTuples(),
                    tc.deadTuples(),
                    tc.lastAnalyze(),
                    row[1],
                    row[2],
                    row[3],
                    row[4]));
      }
    }
    return out;
  }

  private static void note(Sql.Attempt<?> attempt, List<String> problems) {
    if (!attempt.ok()) {
      problems.add(attempt.problem());
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}

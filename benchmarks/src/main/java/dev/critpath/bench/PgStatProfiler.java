package dev.critpath.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * Server-side time beside JMH's client-side time: the pg_stat_statements delta of the benchmarked
 * statement over each measurement iteration (warmups are skipped), as JMH secondary metrics {@code
 * pgss.calls}, {@code pgss.exec_ms}, {@code pgss.shared_blks_hit}, {@code pgss.shared_blks_read}
 * and {@code pgss.rows}. Counters are cumulative, so it reads them before and after; it never
 * resets them (the server may be shared). An iteration across a server restart gets none: the
 * counters may have restarted from zero.
 */
public final class PgStatProfiler implements InternalProfiler {
  static final String CALLS = "pgss.calls";
  static final String EXEC_MS = "pgss.exec_ms";
  static final String BLKS_HIT = "pgss.shared_blks_hit";
  static final String BLKS_READ = "pgss.shared_blks_read";
  static final String ROWS = "pgss.rows";

  /** Index of the server's start time in a snapshot, after the five counters. */
  private static final int STARTED = 5;

  private Connection monitor;
  private double[] before;
  private int measured;

  @Override
  public String getDescription() {
    return "pg_stat_statements delta of the benchmarked statement per measurement iteration";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    before = iteration.getType() == IterationType.MEASUREMENT ? snapshot(benchmark) : null;
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    if (iteration.getType() != IterationType.MEASUREMENT) {
      return List.of();
    }
    double[] after = before == null ? null : snapshot(benchmark);
    if (++measured == iteration.getCount()) {
      close(monitor); // the last measurement iteration of this fork
      monitor = null;
    }
    if (after == null || after[STARTED] != before[STARTED]) {
      return List.of();
    }
    return List.of(
        new ScalarResult(CALLS, after[0] - before[0], "calls", AggregationPolicy.SUM),
        new ScalarResult(EXEC_MS, after[1] - before[1], "ms", AggregationPolicy.SUM),
        new ScalarResult(BLKS_HIT, after[2] - before[2], "blocks", AggregationPolicy.SUM),
        new ScalarResult(BLKS_READ, after[3] - before[3], "blocks", AggregationPolicy.SUM),
        new ScalarResult(ROWS, after[4] - before[4], "rows", AggregationPolicy.SUM));
  }

  /**
   * calls, total exec ms, shared hit, shared read, rows, server start (epoch s); null when not
   * measurable.
   */
  private double[] snapshot(BenchmarkParams benchmark) {
    ForkConfig config = ForkConfig.current();
    Long queryId =
        config.queryIds().get(key(benchmark.getParam("query"), benchmark.getParam("variant")));
    if (queryId == null || config.pgStatSchema() == null) {
      return null;
    }
    try {
      if (monitor == null || monitor.isClosed()) {
        Properties props = config.spec().credentials();
        props.setProperty("ApplicationName", "critpath-monitor");
        monitor = DriverManager.getConnection(config.spec().jdbcUrl(), props);
      }
      String sql =
          "SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0),"
              + " coalesce(sum(shared_blks_hit), 0), coalesce(sum(shared_blks_read), 0),"
              + " coalesce(sum(rows), 0), extract(epoch FROM pg_postmaster_start_time()) FROM "
              + quote(config.pgStatSchema())
              + ".pg_stat_statements(false)"
              + " WHERE queryid = ? AND toplevel"
              + " AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())";
      try (PreparedStatement ps = monitor.prepareStatement(sql)) {
        ps.setLong(1, queryId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new double[] {
            rs.getDouble(1),
            rs.getDouble(2),
            rs.getDouble(3),
            rs.getDouble(4),
            rs.getDouble(5),
            rs.getDouble(6)
          };
        }
      }
    } catch (SQLException e) {
      // server statistics are an addition; the client numbers stand without them. A broken
      // monitor (the server restarted) is opened again for the next iteration.
      close(monitor);
      monitor = null;
      return null;
    }
  }

  static String key(String path, String variant) {
    return path + "/" + variant;
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static void close(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // done with it either way
    }
  }
}

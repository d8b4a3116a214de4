package dev.critpath.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.critpath.catalog.DatasetSummaries;
import dev.critpath.catalog.ParamSampler;
import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.catalog.WriteMode;
import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.db.Pooler;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The one JMH benchmark: calls a catalog path ({@code query}) in one {@code variant}. Mode,
 * threads, iterations and forks come from the run's options; the connection and the catalog come
 * from the {@link ForkConfig} file. Everything costly happens once per trial: the pool and the
 * parameter samples here, each thread's connection and prepared statements in {@link Session}.
 */
@State(Scope.Benchmark)
public class CatalogBenchmark {
  /** Overridden by the orchestrator; the defaults only satisfy JMH. */
  @Param("message_fetch")
  public String query;

  @Param("rls_on")
  public String variant;

  private ForkConfig config;
  private Database db;
  private HikariDataSource pool;
  private BenchPath path;
  private Variant mode;
  private ParameterSource source;
  private ConnectionLoss connectionLoss;

  /** For the committed measurement of a rollback write: puts its rows back; else null. */
  private CommittedRows committed;

  /**
   * Hikari logs each connection the server drops as a warning with a 30-line stack trace; the
   * benchmark counts those calls itself and reports the first error in one line (ConnectionLoss),
   * so in the benchmark JVM the pool speaks up for errors only (unless set otherwise, e.g. with
   * --jmh "-jvmArgsAppend -D..."). Set before the pool's first logger exists.
   */
  private static final String HIKARI_LOG_LEVEL = "org.slf4j.simpleLogger.log.com.zaxxer.hikari";

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    if (System.getProperty(HIKARI_LOG_LEVEL) == null) {
      System.setProperty(HIKARI_LOG_LEVEL, "error");
    }
    config = ForkConfig.current();
    connectionLoss = new ConnectionLoss(config, query, variant);
    try {
      db =
          Database.open(
              new DatabaseTarget.External(config.spec(), "benchmark"),
              Duration.ofMillis(config.statementTimeoutMillis()),
              Pooler.parseChoice(config.pooler()));
      path = BenchPath.find(QueryCatalog.load(config.catalogSources()), query);
      mode = Variant.parse(variant);
      try (Connection c = db.connect()) {
        source = ParameterSource.prepare(path.entry(), c, DatasetSummaries.read(c).orElse(null));
      }
      pool = db.pool(params.getThreads());
      if (path.restoresCommits()) {
        committed = committedRows();
      }
    } catch (Exception e) {
      if (db != null) {
        db.close();
      }
      throw Failures.record(config, query, variant, "setup", e);
    }
  }

  /** Which tables one rolled-back call writes, and copies of those whose rows it changes. */
  private CommittedRows committedRows() throws SQLException {
    List<Caller.TableWrite> written;
    try (Caller probe =
        new Caller(
            db.connect(), path.probe(), mode, source.sampler(config.seed()), db.pooler().mode())) {
      written = probe.tablesWritten(Preflight.SINK);
    }
    Connection own = db.connect();
    try {
      return CommittedRows.prepare(own, written);
    } catch (SQLException | RuntimeException e) {
      own.close();
      throw e;
    }
  }

  /** A committed write's iteration starts here: what is written after this is put back. */
  @Setup(Level.Iteration)
  public void markCommits() {
    if (committed == null) {
      return;
    }
    try {
      committed.mark();
    } catch (SQLException e) {
      throw Failures.record(config, query, variant, "restore", e);
    }
  }

  /**
   * After each iteration, untimed: a committed write's rows are put back; a cleanup write's catalog
   * SQL undoes its rows.
   */
  @TearDown(Level.Iteration)
  public void cleanUp() {
    if (committed != null) {
      try {
        committed.restore();
      } catch (SQLException e) {
        throw Failures.record(config, query, variant, "restore", e);
      }
      return;
    }
    if (path.entry().write() != WriteMode.CLEANUP) {
      return;
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(path.entry().cleanupSql());
    } catch (SQLException e) {
      throw Failures.record(config, query, variant, "cleanup", e);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    try {
      if (committed != null) {
        committed.close();
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  /** One benchmark thread: its own connection, statements and parameter sequence. */
  @State(Scope.Thread)
  public static class Session {
    /** How long a thread waits for the server to come back after losing its connection. */
    static final Duration RECONNECT_WITHIN = Duration.ofSeconds(60);

    Caller caller;
    private HikariDataSource pool;
    private ParamSampler params;

    @Setup(Level.Trial)
    public void open(CatalogBenchmark shared, ThreadParams thread) {
      long seed =
          (shared.config.seed() * 1_000_003L + (shared.query + "/" + shared.variant).hashCode())
                  * 1_000_003L
              + thread.getThreadIndex();
      try {
        pool = shared.pool;
        params = shared.source.sampler(seed);
        caller = connect(shared);
      } catch (SQLException | RuntimeException e) {
        throw Failures.record(shared.config, shared.query, shared.variant, "setup", e);
      }
    }

    private Caller connect(CatalogBenchmark shared) throws SQLException {
      Connection c = pool.getConnection();
      try {
        return new Caller(c, shared.path, shared.mode, params, shared.db.pooler().mode());
      } catch (SQLException | RuntimeException e) {
        closeQuietly(c);
        throw e;
      }
    }

    /**
     * Replaces a connection the server dropped: closing it makes the pool evict it and open a new
     * one (waiting while the server restarts), on which the statements are prepared again. The
     * parameter sequence goes on where it was. Gives up after {@link #RECONNECT_WITHIN}.
     */
    void reconnect(CatalogBenchmark shared) {
      try {
        caller.close();
      } catch (SQLException | RuntimeException alreadyBroken) {
        // the pool evicts it either way
      }
      caller = null;
      long deadline = System.nanoTime() + RECONNECT_WITHIN.toNanos();
      while (caller == null) {
        try {
          caller = connect(shared);
        } catch (SQLException | RuntimeException e) {
          if (!ConnectionLoss.is(e) || System.nanoTime() > deadline) {
            throw Failures.record(
                shared.config,
                shared.query,
                shared.variant,
                "reconnect (the connection was lost; not back within "
                    + RECONNECT_WITHIN.toSeconds()
                    + " s)",
                e);
          }
        }
      }
    }

    /**
     * JMH may tear down the shared state (closing the pool, and with it every connection) before
     * this thread's state; then there is nothing left to close.
     */
    @TearDown(Level.Trial)
    public void close() throws SQLException {
      if (caller == null || pool.isClosed()) {
        return;
      }
      try {
        caller.close();
      } catch (RuntimeException e) {
        if (!pool.isClosed()) {
          throw e;
        }
      }
    }

    private static void closeQuietly(Connection c) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing; the original error is reported
      }
    }
  }

  /**
   * One call. A call whose connection the server dropped is counted, the thread reconnects, and the
   * measurement goes on; any other error fails the path.
   */
  @Benchmark
  public void call(Session session, Blackhole bh) {
    try {
      session.caller.call(bh);
    } catch (SQLException | RuntimeException e) {
      if (!ConnectionLoss.is(e)) {
        throw Failures.record(config, query, variant, "call", e);
      }
      connectionLoss.record(e);
      session.reconnect(this);
    }
  }
}

package dev.critpath.bench;

import dev.critpath.catalog.ParamBinding;
import dev.critpath.catalog.ParamSampler;
import dev.critpath.catalog.ReadOnlySql;
import dev.critpath.catalog.Variant;
import dev.critpath.db.Pooler;
import dev.critpath.db.RequestContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One thread's way of calling a path: its connection, its statements prepared once, its parameter
 * sampler. A call is what JMH measures, the request envelope included: for rls_on and rls_off a
 * transaction that sets the role and the JWT claims (as PostgREST does), runs the path and commits
 * (reads, cleanup writes, the committed measurement of a rollback write) or rolls back; for plain
 * the bare statement in autocommit. A path that declares no write runs read-only: its transactions
 * begin READ ONLY (pgjdbc sends {@code BEGIN READ ONLY} with the first statement, no extra round
 * trip), plain sessions default to read-only transactions; a write then fails naming the header to
 * add. Through a transaction pooler a plain session sets nothing: a session default would stay on a
 * backend the pooler shares with other clients (their writes would fail while critpath runs) and
 * would not follow the next statement to its backend; the preflight's probe, which runs in a READ
 * ONLY transaction there, is then the check.
 */
final class Caller implements AutoCloseable {
  private final Connection connection;
  private final ParamSampler params;
  private final boolean envelope;
  private final boolean rollback;
  private final boolean readOnly;
  private final boolean sessionReadOnly;
  private final BenchPath path;
  private final String pgRole;
  private final PreparedStatement context;
  private final PreparedStatement statement;
  private final ParamBinding binding;
  private final JavaPath.Session java;
  private int columns = -1;

  /**
   * @param pooling how {@code connection} reaches its backend: through a transaction pooler no
   *     session setting is made
   */
  Caller(
      Connection connection,
      BenchPath path,
      Variant variant,
      ParamSampler params,
      Pooler.Mode pooling)
      throws SQLException {
    this.connection = connection;
    this.params = params;
    this.envelope = variant != Variant.PLAIN;
    this.rollback = path.rollsBack();
    this.readOnly = !path.entry().write().writes();
    this.sessionReadOnly = readOnly && !envelope && pooling != Pooler.Mode.TRANSACTION;
    this.path = path;
    // rls_off keeps the session user (the tables' owner), whom RLS does not apply to
    this.pgRole = variant == Variant.RLS_ON ? path.entry().role().pgRole() : "none";
    // typed as explain types them (outside a transaction: a refused describe ends nothing)
    connection.setAutoCommit(true);
    this.binding = path.java() != null ? null : ParamBinding.of(connection, path.entry().jdbcSql());
    connection.setAutoCommit(!envelope);
    if (readOnly) {
      connection.setReadOnly(true);
    }
    if (sessionReadOnly) {
      setSessionReadOnly(true);
    }
    this.context = envelope ? connection.prepareStatement(RequestContext.sql()) : null;
    if (path.java() != null) {
      this.statement = null;
      this.java = path.java().open(connection);
    } else {
      this.statement = connection.prepareStatement(path.entry().jdbcSql());
      this.java = null;
    }
  }

  /** One measured call with a fresh draw of parameters. */
  void call(Blackhole bh) throws SQLException {
    params.next();
    if (!envelope) {
      try {
        run(bh);
      } catch (SQLException e) {
        throw ReadOnlySql.undeclaredWrite(path.entry(), e);
      }
      return;
    }
    try {
      enter();
      run(bh);
      end();
    } catch (SQLException e) {
      abandon();
      throw ReadOnlySql.undeclaredWrite(path.entry(), e);
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
  }

  /**
   * One call like {@link #call} that also reads, from {@code monitor}, the query id PostgreSQL gave
   * the path's (last) statement, before the transaction ends. 0 when the server computes none.
   */
  long callAndIdentify(Blackhole bh, Connection monitor, int backendPid) throws SQLException {
    params.next();
    try {
      if (envelope) {
        enter();
      }
      run(bh);
      long queryId = 0;
      try (PreparedStatement ps =
          monitor.prepareStatement("SELECT query_id FROM pg_stat_activity WHERE pid = ?")) {
        ps.setInt(1, backendPid);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            queryId = rs.getLong(1);
          }
        }
      }
      if (envelope) {
        end();
      }
      return queryId;
    } catch (SQLException e) {
      abandon();
      throw ReadOnlySql.undeclaredWrite(path.entry(), e);
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
  }

  /**
   * A table one call writes.
   *
   * @param table schema-qualified and quoted
   * @param changesRows whether the call updates or deletes rows there (not only inserts)
   */
  record TableWrite(String table, boolean changesRows) {}

  /**
   * One call in a transaction that is rolled back, returning the tables it wrote, as the server
   * counted them before the rollback ({@code pg_stat_xact_user_tables}: functions and triggers
   * included).
   */
  List<TableWrite> tablesWritten(Blackhole bh) throws SQLException {
    params.next();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      if (envelope) {
        enter();
      }
      run(bh);
      List<TableWrite> out = new ArrayList<>();
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery(TABLES_WRITTEN)) {
        while (rs.next()) {
          out.add(new TableWrite(rs.getString(1), rs.getBoolean(2)));
        }
      }
      return out;
    } finally {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    }
  }

  private static final String TABLES_WRITTEN =
      "SELECT format('%I.%I', schemaname, relname), n_tup_upd + n_tup_del > 0"
          + " FROM pg_stat_xact_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
          + " ORDER BY 1";

  private void enter() throws SQLException {
    RequestContext.bind(context, pgRole, params.subject());
    context.executeQuery().close();
  }

  private void end() throws SQLException {
    if (rollback) {
      connection.rollback();
    } else {
      connection.commit();
    }
  }

  private void abandon() {
    if (envelope) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is broken; the caller reports the original error
      }
    }
  }

  private void run(Blackhole bh) throws SQLException {
    if (java != null) {
      java.execute(params, bh);
      return;
    }
    params.bind(statement, binding);
    if (statement.execute()) {
      try (ResultSet rs = statement.getResultSet()) {
        if (columns < 0) {
          columns = rs.getMetaData().getColumnCount();
        }
        int n = columns;
        // Every value of every row, as the bytes the driver received: the whole result is
        // fetched and touched like libpq's, without the Java object mapping (UUID, Timestamp)
        // that is the application's cost and that Java twins such as the jOOQ path measure.
        while (rs.next()) {
          for (int i = 1; i <= n; i++) {
            bh.consume(rs.getBytes(i));
          }
        }
      }
    } else {
      bh.consume(statement.getUpdateCount());
    }
  }

  /** Autocommit has no transaction to begin read-only: the session's default is set instead. */
  private void setSessionReadOnly(boolean on) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION " + (on ? "READ ONLY" : "READ WRITE"));
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      if (java != null) {
        java.close();
      }
      if (sessionReadOnly && !connection.isClosed()) {
        setSessionReadOnly(false); // the pool hands this connection on
      }
    } finally {
      connection.close();
    }
  }
}

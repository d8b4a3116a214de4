package dev.critpath.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.run.NotCaptured;
import dev.critpath.testkit.PgBouncer;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pooler detection and session isolation against a real PgBouncer in both modes. */
class PoolerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(7);
  private static Database direct;
  private static PgBouncer session;
  private static PgBouncer transaction;
  private static PgBouncer oneBackend;

  @BeforeAll
  static void start() {
    PgBouncer.assumeInstalled();
    direct = TestDatabases.migrated("pooler");
    session = PgBouncer.start(direct.spec(), "session", 4, Map.of());
    transaction = PgBouncer.start(direct.spec(), "transaction", 4, Map.of());
    oneBackend = PgBouncer.start(direct.spec(), "transaction", 1, Map.of());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {oneBackend, transaction, session, direct}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Database open(PgBouncer bouncer, Pooler.Mode choice) {
    ConnectionSpec spec = bouncer == null ? direct.spec() : bouncer.front(direct.spec());
    return Database.open(new DatabaseTarget.External(spec, "test"), TIMEOUT, choice);
  }

  @Test
  void aDirectConnectionIsSeenAsDirectAndKeepsItsStartupTimeout() throws SQLException {
    try (Database db = open(null, null)) {
      assertThat(db.pooler().mode()).isEqualTo(Pooler.Mode.DIRECT);
      assertThat(db.pooler().detectedBy()).contains("a backend of its own");
      assertThat(db.pooler().serverPreparedStatements()).isTrue();
      assertThat(db.pooler().gaps()).isEmpty();
      assertThat(db.connectionProperties().getProperty("options")).contains("statement_timeout");
      assertThat(show(db, "statement_timeout")).isEqualTo("7s");
    }
  }

  @Test
  void sessionModeIsSeenByBackendReuseAndGetsItsTimeoutPerSession() throws SQLException {
    try (Database db = open(session, null)) {
      assertThat(db.pooler().mode()).isEqualTo(Pooler.Mode.SESSION);
      assertThat(db.pooler().detectedBy()).contains("which a closed connection had used");
      assertThat(db.pooler().serverPreparedStatements()).isTrue();
      assertThat(db.connectionProperties().getProperty("options")).isNull();
      assertThat(show(db, "statement_timeout")).isEqualTo("7s");
      try (Connection c = db.pool(2).getConnection()) {
        assertThat(value(c, "SHOW statement_timeout")).isEqualTo("7s");
      }
    }
  }

  @Test
  void transactionModeIsSeenByBackendChangesAndTurnsNamedStatementsOff() throws SQLException {
    try (Database db = open(transaction, null)) {
      Pooler p = db.pooler();
      assertThat(p.mode()).isEqualTo(Pooler.Mode.TRANSACTION);
      // PgBouncer reuses the backend it used last, so two open connections meet on one
      assertThat(p.detectedBy()).contains("two open connections ran on the same backend");
      // Debian 12 ships PgBouncer 1.18: no protocol-level prepared statements (1.21+)
      assertThat(p.serverPreparedStatements()).isFalse();
      assertThat(p.preparedStatementsBy()).contains("prepareThreshold=0");
      assertThat(db.spec().params()).containsEntry("prepareThreshold", "0");
      assertThat(p.gaps()).extracting(NotCaptured::stage).containsExactly("all", "realtime");
      assertThat(p.gaps()).allSatisfy(g -> assertThat(g.fix()).contains("session pooler"));
      // What used to fail on every read path: the same statement many times, server-prepared
      // by the driver after five executions, across transactions on shared backends.
      try (Connection a = db.connect();
          Connection b = db.connect();
          var psA = a.prepareStatement("SELECT count(*) FROM profiles WHERE id <> ?::uuid");
          var psB = b.prepareStatement("SELECT count(*) FROM profiles WHERE id <> ?::uuid")) {
        for (int i = 0; i < 12; i++) {
          for (var ps : List.of(psA, psB)) {
            ps.setString(1, "00000000-0000-0000-0000-000000000000");
            try (ResultSet rs = ps.executeQuery()) {
              assertThat(rs.next()).isTrue();
            }
          }
        }
      }
    }
  }

  @Test
  void theProbesLeaveNoPreparedStatementOnTheBackend() throws SQLException {
    try (Database db = open(oneBackend, null);
        Connection c = db.connect()) {
      assertThat(db.pooler().detectedBy()).contains("two open connections ran on the same backend");
      c.setAutoCommit(false); // one transaction: the pool's only backend, the probes' too
      assertThat(value(c, "SELECT count(*) FROM pg_prepared_statements")).isEqualTo("0");
      c.rollback();
    }
  }

  @Test
  void theUsersChoiceIsTakenAndSaidSo() {
    try (Database db = open(transaction, Pooler.Mode.TRANSACTION)) {
      assertThat(db.pooler().detectedBy()).isEqualTo("--pooler transaction");
      assertThat(db.spec().params()).containsEntry("prepareThreshold", "0");
    }
  }

  @Test
  void directChosenForAPoolerIsRefusedWithTheFix() {
    assertThatThrownBy(() -> open(transaction, Pooler.Mode.DIRECT))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("refused the startup parameter 'options'")
        .hasMessageContaining("--pooler auto, session or transaction");
  }

  @Test
  void featuresThatNeedASessionAreRefusedInTransactionModeOnly() {
    try (Database db = open(transaction, null)) {
      assertThatThrownBy(() -> db.pooler().requireSession("LISTEN (the realtime stage)"))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("transaction mode")
          .hasMessageContaining("session pooler (port 5432 on Supabase");
    }
    try (Database db = open(session, null)) {
      db.pooler().requireSession("LISTEN (the realtime stage)");
    }
  }

  /**
   * Two clients through one transaction-mode backend (default_pool_size=1): each sees only its own
   * JWT claims and role inside its transactions, and nothing once they end.
   */
  @Test
  void twoClientsSharingOneBackendNeverSeeEachOthersClaims() throws Exception {
    try (Database db = open(oneBackend, null)) {
      assertThat(db.pooler().mode()).isEqualTo(Pooler.Mode.TRANSACTION);
      String alice = "eeeeeeee-0000-4000-8000-000000000001";
      String bob = "eeeeeeee-0000-4000-8000-000000000002";
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<Set<Integer>>> clients = new ArrayList<>();
        for (String sub : List.of(alice, bob)) {
          clients.add(pool.submit(asClient(db, sub)));
        }
        Set<Integer> backends = new HashSet<>();
        for (Future<Set<Integer>> f : clients) {
          backends.addAll(f.get());
        }
        assertThat(backends).as("both clients were served by one backend").hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static Callable<Set<Integer>> asClient(Database db, String sub) {
    return () -> {
      Set<Integer> backends = new HashSet<>();
      try (Connection c = db.connect()) {
        for (int i = 0; i < 200; i++) {
          c.setAutoCommit(false);
          RequestContext.apply(c, "authenticated", sub);
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery(
                      "SELECT auth.uid()::text, current_user, pg_backend_pid(),"
                          + " current_setting('statement_timeout')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(sub);
            assertThat(rs.getString(2)).isEqualTo("authenticated");
            backends.add(rs.getInt(3));
          }
          c.commit();
          c.setAutoCommit(true);
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery(
                      "SELECT coalesce(current_setting('request.jwt.claims', true), ''),"
                          + " current_user")) {
            rs.next();
            assertThat(rs.getString(1)).as("claims outside a transaction").isEmpty();
            assertThat(rs.getString(2)).isEqualTo(direct.spec().user());
          }
        }
      }
      return backends;
    };
  }

  private static String show(Database db, String setting) throws SQLException {
    try (Connection c = db.connect()) {
      return value(c, "SHOW " + setting);
    }
  }

  private static String value(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

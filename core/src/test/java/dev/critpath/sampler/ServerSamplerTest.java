package dev.critpath.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.run.NotCaptured;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sampler against the embedded server: what it sees, and what it says it cannot. */
class ServerSamplerTest {
  private static final Duration SETTLE = Duration.ofMillis(2500);
  private static Database db;

  @BeforeAll
  static void open() {
    db = TestDatabases.migrated("sampler");
    TestDatabases.exec(db.spec(), "CREATE TABLE sampler_lock (id int PRIMARY KEY, v int)");
    TestDatabases.exec(db.spec(), "INSERT INTO sampler_lock VALUES (1, 0)");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void seesConnectionsByStateAndALockWait() throws Exception {
    try (ServerSampler sampler = ServerSampler.start("test", db, PoolGauge.critpathPools());
        Connection holder = db.connect();
        Connection waiter = db.connect()) {
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        st.execute("UPDATE sampler_lock SET v = v + 1 WHERE id = 1"); // holds the row lock
      }
      CompletableFuture<Void> blocked =
          CompletableFuture.runAsync(
              () -> {
                try (Statement st = waiter.createStatement()) {
                  st.execute("UPDATE sampler_lock SET v = v + 1 WHERE id = 1");
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(SETTLE.toMillis());
      long start = System.nanoTime();
      sampler.flush();
      List<ServerSample> now = sampler.window(start, System.nanoTime());
      holder.rollback();
      blocked.get(10, TimeUnit.SECONDS);

      ServerSample s = now.get(0);
      assertThat(s.value(ServerMetric.DB_LOCK_WAITS)).isGreaterThanOrEqualTo(1.0);
      assertThat(s.connections().get("idle in transaction")).isGreaterThanOrEqualTo(1);
      assertThat(s.connections().get("active")).isGreaterThanOrEqualTo(1);
      assertThat(s.value(ServerMetric.DB_CONNECTIONS)).isGreaterThanOrEqualTo(2.0);
      StageLoad load = sampler.finish();
      assertThat(load.summary().get("db_lock_waits").max()).isGreaterThanOrEqualTo(1.0);
      assertThat(load.samples()).hasSizeGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void countsCommitsAndRollbacksAsDeltas() throws Exception {
    try (ServerSampler sampler = ServerSampler.start("test", db, PoolGauge.critpathPools())) {
      long start = System.nanoTime();
      // an idle backend may keep its counts up to 10 s before reporting them; one that exits
      // reports them at once
      try (Connection c = db.connect()) {
        c.setAutoCommit(false);
        for (int i = 0; i < 50; i++) {
          try (Statement st = c.createStatement()) {
            st.execute("SELECT 1");
          }
          if (i % 5 == 0) {
            c.rollback();
          } else {
            c.commit();
          }
        }
      }
      Thread.sleep(SETTLE.toMillis());
      sampler.flush();
      List<ServerSample> w = sampler.window(start, System.nanoTime());
      double commits = sum(w, ServerMetric.DB_COMMITS);
      double rollbacks = sum(w, ServerMetric.DB_ROLLBACKS);
      assertThat(commits).isGreaterThanOrEqualTo(40);
      assertThat(rollbacks).isGreaterThanOrEqualTo(10);
      // deltas, not totals: the template and earlier tests committed far more
      assertThat(commits).isLessThan(40 + 100);
    }
  }

  @Test
  void seesTheEmbeddedServersCpu() throws Exception {
    try (ServerSampler sampler = ServerSampler.start("test", db, PoolGauge.critpathPools());
        Connection c = db.connect();
        Statement st = c.createStatement()) {
      assertThat(sampler.notVisible(ServerMetric.DB_CPU)).isEmpty();
      long backend;
      try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        backend = rs.getLong(1);
      }
      long start = System.nanoTime();
      double before = cpuSeconds(backend);
      // about a second of one core's work in one backend
      st.execute("SELECT count(*) FROM generate_series(1, 3000000) g WHERE g % 7 = 0");
      st.execute("SELECT count(*) FROM generate_series(1, 3000000) g WHERE g % 7 = 0");
      double work = cpuSeconds(backend) - before;
      Thread.sleep(1200);
      sampler.flush();
      long end = System.nanoTime();
      List<ServerSample> all = sampler.window(Long.MIN_VALUE, end);
      // the server's CPU over the window (each sample: % of all cores over the time since the
      // previous one, a second or, on a busy machine, more) holds at least the backend's own work
      double seen = 0;
      for (int i = 1; i < all.size(); i++) {
        ServerSample s = all.get(i);
        if (s.nanos() > start) {
          assertThat(s.value(ServerMetric.DB_CPU)).as("sample at %s s", s.t()).isNotNull();
          double seconds = (s.nanos() - all.get(i - 1).nanos()) / 1e9;
          seen +=
              s.value(ServerMetric.DB_CPU)
                  / 100
                  * Runtime.getRuntime().availableProcessors()
                  * seconds;
        }
      }
      assertThat(work).isGreaterThan(0.2);
      assertThat(seen).isGreaterThan(work * 0.8);
      StageLoad load = sampler.finish();
      assertThat(load.cpu()).contains("postmaster (process");
      assertThat(load.samplerCost()).isNotNull();
      assertThat(load.samplerCost().serverCpuSeconds())
          .isGreaterThan(load.samplerCost().samplerCpuSeconds());
    }
  }

  @Test
  void countsThreadsWaitingForAPoolOfOne() throws Exception {
    HikariDataSource pool = db.pool(1);
    try (ServerSampler sampler = ServerSampler.start("test", db, PoolGauge.critpathPools());
        Connection held = pool.getConnection()) {
      long start = System.nanoTime();
      CompletableFuture<Void> waiting =
          CompletableFuture.runAsync(
              () -> {
                try (Connection c = pool.getConnection()) {
                  c.isValid(1);
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(1500);
      sampler.flush();
      List<ServerSample> w = sampler.window(start, System.nanoTime());
      held.close();
      waiting.get(10, TimeUnit.SECONDS);
      assertThat(w.stream().mapToDouble(s -> s.value(ServerMetric.POOL_WAITING)).max().orElse(0))
          .isEqualTo(1.0);
    } finally {
      pool.close();
    }
  }

  @Test
  void aRoleWithoutPgReadAllStatsGetsTheGapStated() throws Exception {
    String role = "sampler_limited_" + UUID.randomUUID().toString().substring(0, 8);
    String password = UUID.randomUUID().toString();
    ConnectionSpec admin = TestDatabases.embedded().spec();
    TestDatabases.exec(admin, "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
    ConnectionSpec spec = db.spec();
    ConnectionSpec limited =
        new ConnectionSpec(
            spec.host(), spec.port(), spec.database(), role, password, spec.params());
    try (Database asRole = TestDatabases.open(limited);
        Connection other = db.connect();
        ServerSampler sampler =
            ServerSampler.start("test", asRole, PoolGauge.notVisible("no pool in this test"))) {
      other.isValid(1); // another role's session the limited role cannot look into
      sampler.flush();
      StageLoad load = sampler.finish();
      assertThat(load.notCaptured())
          .extracting(NotCaptured::what, NotCaptured::fix)
          .contains(
              org.assertj.core.groups.Tuple.tuple(
                  "the state and lock waits of other roles' sessions",
                  "GRANT pg_read_all_stats TO " + role),
              org.assertj.core.groups.Tuple.tuple("client pool saturation (pool_waiting)", null));
      ServerSample last = load.samples().get(load.samples().size() - 1);
      assertThat(last.connections().get("hidden")).isGreaterThanOrEqualTo(1);
      assertThat(last.value(ServerMetric.POOL_WAITING)).isNull();
    } finally {
      TestDatabases.exec(admin, "DROP ROLE " + role);
    }
  }

  @Test
  void withoutADatabaseNothingOnTheServerIsVisibleAndItSaysSo() {
    try (ServerSampler sampler =
        ServerSampler.start("http", null, PoolGauge.notVisible("no pool"))) {
      assertThat(sampler.notVisible(ServerMetric.DB_CPU)).get().asString().contains("--db-url");
      StageLoad load = sampler.finish();
      assertThat(load.cpu()).startsWith("not visible: ");
      assertThat(load.summary()).isEmpty();
      assertThat(load.notCaptured()).extracting(NotCaptured::fix).contains("--db-url");
    }
  }

  /** A process's user + system CPU seconds from /proc (10 ms ticks). */
  private static double cpuSeconds(long pid) throws java.io.IOException {
    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  private static double sum(List<ServerSample> w, ServerMetric m) {
    return w.stream().map(s -> s.value(m)).filter(v -> v != null).mapToDouble(v -> v).sum();
  }
}

package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.db.Pooler;
import dev.critpath.testkit.PgBouncer;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bench through a transaction pooler with one backend: whatever critpath's callers do lands on
 * the backend the application's own clients get next. Seen in CI before the fix: a plain read path
 * set its session read-only there, and the next command's CREATE SCHEMA failed "in a read-only
 * transaction".
 */
class CallerThroughPoolerTest {
  private static Database direct;
  private static PgBouncer bouncer;

  @BeforeAll
  static void start() throws SQLException {
    PgBouncer.assumeInstalled();
    direct = TestDatabases.empty("bench_caller_pooler");
    try (Connection c = direct.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE notes (id int)");
    }
    bouncer = PgBouncer.start(direct.spec(), "transaction", 1, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (bouncer != null) {
      bouncer.close();
    }
    if (direct != null) {
      direct.close();
    }
  }

  private static Database throughBouncer() {
    Database db =
        Database.open(
            new DatabaseTarget.External(bouncer.front(direct.spec()), "test"),
            Duration.ofSeconds(20),
            null);
    assertThat(db.pooler().mode()).isEqualTo(Pooler.Mode.TRANSACTION);
    return db;
  }

  private static BenchPath path(String name, String sql) {
    CatalogQuery q = QueryCatalog.parse(name + ".sql", "-- name: " + name + "\n" + sql);
    return new BenchPath(q.name(), q, null);
  }

  @Test
  void aPlainReadPathLeavesTheSharedBackendWritableForOtherClients() throws SQLException {
    BenchPath read = path("count_notes", "SELECT count(*) FROM notes");
    try (Database db = throughBouncer();
        Caller caller =
            new Caller(
                db.connect(),
                read,
                Variant.PLAIN,
                ParameterSource.prepare(read.entry(), null, null).sampler(1),
                db.pooler().mode());
        Connection app = db.connect()) {
      for (int i = 0; i < 5; i++) {
        caller.call(Preflight.SINK);
      }
      // the pool has one backend: the application's write runs where the calls ran
      try (Statement st = app.createStatement()) {
        assertThat(show(st, "default_transaction_read_only")).isEqualTo("off");
        st.execute("INSERT INTO notes VALUES (1)");
      }
    }
    try (Connection c = direct.connect();
        Statement st = c.createStatement()) {
      assertThat(show(st, "default_transaction_read_only")).isEqualTo("off");
      st.execute("DELETE FROM notes");
    }
  }

  @Test
  void anUndeclaredWriteIsStillRefusedByThePreflightsReadOnlyTransaction() throws SQLException {
    BenchPath write = path("sneaky_write", "INSERT INTO notes VALUES (2)");
    StringWriter printed = new StringWriter();
    try (Database db = throughBouncer()) {
      PathRun run = new PathRun(write, List.of(Variant.PLAIN), List.of());
      new Preflight(db, BenchSettings.of(BenchProfile.QUICK), null, new PrintWriter(printed, true))
          .check(List.of(run));
      assertThat(run.variantFailure.get(Variant.PLAIN))
          .as(printed.toString())
          .contains("'sneaky_write' writes", "declares no write", "-- write: rollback");
    }
    assertThat(TestDatabases.number(direct, "SELECT count(*) FROM notes")).isZero();
  }

  private static String show(Statement st, String setting) throws SQLException {
    try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

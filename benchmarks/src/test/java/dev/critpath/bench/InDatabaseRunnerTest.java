package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.schema.Migrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * critpath.run_performance_tests() as a SQL-editor user runs it: on the seeded tiny dataset every
 * reference path is measured inside the database with its catalog target, writes leave nothing
 * behind, and a query it cannot run gets its error while the others are still measured.
 */
class InDatabaseRunnerTest {
  /** The longest name the catalog allows (63): with any prefix, too long for an identifier. */
  static final String LONG_NAME = "fails_when_it_runs_" + "x".repeat(63 - 19);

  static Database db;

  @BeforeAll
  static void seed() {
    db = Fixtures.seeded("in_database_runner");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void measuresEveryCatalogQueryAndLeavesTheDataAsItWas() throws SQLException {
    Map<String, Long> before = Fixtures.counts(db);
    Map<String, Row> rows = run("SELECT * FROM critpath.run_performance_tests(5)");
    QueryCatalog catalog = QueryCatalog.builtin();
    assertThat(rows.keySet()).containsExactlyElementsOf(catalog.names());
    for (Row r : rows.values()) {
      assertThat(r.error).as(r.query).isNull();
      assertThat(r.calls).as(r.query).isEqualTo(5);
      assertThat(r.p50).as(r.query).isPositive();
      assertThat(r.p95).as(r.query).isGreaterThanOrEqualTo(r.p50);
      assertThat(r.target).as(r.query).isEqualTo(catalog.get(r.query).targets().get(0).text());
      assertThat(r.pass).as(r.query).isNotNull();
    }
    assertThat(Fixtures.counts(db)).isEqualTo(before);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(*) FILTER (WHERE plan::text LIKE '%\"Shared Hit Blocks\"%'),"
                    + " count(DISTINCT run_id) FROM critpath.performance_test_results"
                    + " WHERE run_id = '"
                    + rows.get("message_fetch").runId()
                    + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(catalog.queries().size());
      assertThat(rs.getInt(2))
          .as("every stored plan is EXPLAIN (ANALYZE, BUFFERS)")
          .isEqualTo(rs.getInt(1));
      assertThat(rs.getInt(3)).isEqualTo(1);
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements")) {
      rs.next();
      assertThat(rs.getInt(1)).as("no prepared statement left behind").isZero();
    }
  }

  @Test
  void aQueryItCannotRunGetsItsErrorAndTheOthersStillRun(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("broken.sql"),
        "-- name: broken\n-- about: reads a table that is not there\n-- target: p95 < 10ms\n"
            + "SELECT * FROM no_such_table;\n");
    Files.writeString(
        dir.resolve("stations.sql"),
        "-- name: stations_of_business\n-- about: stations of one business\n"
            + "-- param: business_id = id(business)\n-- target: p95 < 50ms\n"
            + "SELECT id FROM stations WHERE business_id = :business_id;\n");
    Files.writeString(
        dir.resolve("runtime.sql"),
        "-- name: "
            + LONG_NAME
            + "\n-- about: prepares, then fails when it runs\n-- target: p95 < 10ms\n"
            + "SELECT 1 / (count(*) - count(*)) FROM stations;\n");
    Migrator.installRunner(db, QueryCatalog.load(dir));
    // twice in one session, as in a SQL editor: nothing the first run left behind (a prepared
    // statement) gets in the second's way
    Map<String, Row> rows;
    try (Connection c = db.connect()) {
      run(c, "SELECT * FROM critpath.run_performance_tests(3)");
      rows = run(c, "SELECT * FROM critpath.run_performance_tests(3)");
    }
    assertThat(rows.get("broken").error)
        .contains("relation \"no_such_table\" does not exist")
        .contains("42P01");
    assertThat(rows.get("broken").calls).isZero();
    assertThat(rows.get("broken").pass).isNull();
    assertThat(rows.get("stations_of_business").error).isNull();
    assertThat(rows.get("stations_of_business").calls).isEqualTo(3);
    assertThat(rows.get("stations_of_business").pass).isTrue();
    assertThat(rows.get(LONG_NAME).error)
        .as("its own error again, not a statement the first run left prepared")
        .contains("division by zero");
    assertThatThrownBy(() -> run("SELECT * FROM critpath.run_performance_tests(0)"))
        .hasMessageContaining("calls must be between 1 and 100000, got 0");
    Migrator.installRunner(db, QueryCatalog.builtin());
  }

  @Test
  void onlyTheNamedQueriesRun() throws SQLException {
    Map<String, Row> rows =
        run(
            "SELECT * FROM critpath.run_performance_tests(2,"
                + " ARRAY['message_fetch', 'voucher_issue_5000'])");
    assertThat(rows.keySet()).containsExactly("message_fetch", "voucher_issue_5000");
    assertThat(rows.get("voucher_issue_5000").error).isNull();
  }

  private record Row(
      String runId,
      String query,
      int calls,
      double p50,
      double p95,
      String target,
      Boolean pass,
      String error) {}

  private static Map<String, Row> run(String sql) throws SQLException {
    try (Connection c = db.connect()) {
      return run(c, sql);
    }
  }

  private static Map<String, Row> run(Connection c, String sql) throws SQLException {
    Map<String, Row> out = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        Row r =
            new Row(
                rs.getString("run_id"),
                rs.getString("query"),
                rs.getInt("calls_made"),
                rs.getDouble("p50_ms"),
                rs.getDouble("p95_ms"),
                rs.getString("target"),
                (Boolean) rs.getObject("pass"),
                rs.getString("error"));
        out.put(r.query(), r);
      }
    }
    return out;
  }
}

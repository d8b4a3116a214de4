package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's catalog that writes without saying so, run by bench and explain as a user would: every
 * undeclared write (a statement, a function, a data-modifying CTE in a sample query) is refused by
 * PostgreSQL's read-only transaction, named with its file, line and the header to add, and no row
 * changes.
 */
class UndeclaredWriteTest {
  private static final int ROWS = 50;
  private static final String FAST = "-f 0 -wi 0 -i 1 -r 100ms";

  @TempDir static Path dir;
  private static Database db;
  private static Path catalog;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabases.migrated("undeclared");
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE victims (id int PRIMARY KEY, v int NOT NULL)");
      st.execute("INSERT INTO victims SELECT g, 0 FROM generate_series(1, " + ROWS + ") g");
      st.execute(
          "CREATE FUNCTION bump(i int) RETURNS int LANGUAGE sql AS"
              + " 'UPDATE victims SET v = v + 1 WHERE id = i RETURNING v'");
    }
    catalog = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        catalog.resolve("sneaky_update.sql"),
        "-- name: sneaky_update\n-- param: i = int(1, 50)\n-- variants: rls_off, plain\n\n"
            + "UPDATE victims SET v = v + 1 WHERE id = :i\n");
    Files.writeString(
        catalog.resolve("sneaky_function.sql"),
        "-- name: sneaky_function\n-- param: i = int(1, 50)\nSELECT bump(:i::int)\n");
    Files.writeString(
        catalog.resolve("sneaky_sample.sql"),
        "-- name: sneaky_sample\n"
            + "-- param: i = sample(WITH d AS (DELETE FROM victims WHERE id > 40 RETURNING id)"
            + " SELECT id FROM d)\n"
            + "SELECT :i::int\n");
    Files.writeString(
        catalog.resolve("honest.sql"),
        "-- name: honest\n-- param: i = sample(SELECT id FROM victims)\n"
            + "SELECT v FROM victims WHERE id = :i\n");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void benchRefusesEveryUndeclaredWriteAndChangesNoRow() throws Exception {
    CliRun run =
        CliRun.of(
            "bench",
            "--queries",
            catalog.toString(),
            "--jmh",
            FAST,
            "--threads",
            "1",
            "--results",
            dir.resolve("bench-results").toString(),
            "--db-url",
            CliRun.dbUrl(db.spec()));
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertUndeclaredWritesNamed(run.out());
    assertThat(run.out()).contains("honest");
    assertThat(state()).as("rows after bench").isEqualTo(untouched());
  }

  @Test
  void explainRefusesEveryUndeclaredWriteAndChangesNoRow() throws Exception {
    CliRun run =
        CliRun.of(
            "explain",
            "--queries",
            catalog.toString(),
            "--no-what-if",
            "--results",
            dir.resolve("explain-results").toString(),
            "--db-url",
            CliRun.dbUrl(db.spec()));
    assertThat(run.exitCode()).as(run.out() + run.err()).isNotZero();
    assertUndeclaredWritesNamed(run.out() + run.err());
    assertThat(state()).as("rows after explain").isEqualTo(untouched());
  }

  private static void assertUndeclaredWritesNamed(String output) {
    assertThat(output)
        .contains(catalog.resolve("sneaky_update.sql") + ":5: 'sneaky_update' writes")
        .contains(catalog.resolve("sneaky_function.sql") + ":3: 'sneaky_function' writes")
        .contains("add '-- write: rollback' to the header")
        .contains(
            catalog.resolve("sneaky_sample.sql") + ":2: parameter i: the sample query writes");
  }

  private static String untouched() {
    return ROWS + " rows, sum 0";
  }

  private static String state() throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(v), 0) FROM victims")) {
      rs.next();
      return rs.getLong(1) + " rows, sum " + rs.getLong(2);
    }
  }
}

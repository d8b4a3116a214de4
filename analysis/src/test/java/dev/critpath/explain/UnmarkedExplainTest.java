package dev.critpath.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * explain on somebody else's database (tables, no critpath marker): write queries are planned, not
 * executed, and the run says why; reads still run with EXPLAIN ANALYZE; --allow-unmarked executes
 * the writes (rolled back) like bench's --allow-unmarked.
 */
class UnmarkedExplainTest {
  private static final List<String> QUERIES = List.of("mark_as_read", "message_fetch");

  private static Database db;

  @BeforeAll
  static void setUp() throws SQLException {
    db = TestDatabases.migrated("explain_unmarked");
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      ReferenceData.load(c);
      st.execute("DROP SCHEMA critpath CASCADE");
    }
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void writesArePlainExplainWithTheReasonAndReadsAreExecuted() throws SQLException {
    ExplainResult r = run(false);
    QueryExplain write = r.query("mark_as_read");
    assertThat(write.error()).isNull();
    assertThat(write.notExecuted())
        .startsWith("plain EXPLAIN, not executed: the query writes and")
        .contains("carries no critpath marker", "--allow-unmarked");
    for (CapturedPlan p : write.plans()) {
      assertThat(p.raw()).doesNotContain("Actual Loops", "Execution Time");
    }
    assertThat(write.generic().note()).contains("not run six times", "no critpath marker");
    QueryExplain read = r.query("message_fetch");
    assertThat(read.notExecuted()).isNull();
    assertThat(read.plans().get(0).raw()).contains("Execution Time");

    StringWriter text = new StringWriter();
    ExplainPrinter.print(r, new PrintWriter(text), false);
    assertThat(text.toString()).contains("mark_as_read: plain EXPLAIN, not executed");
  }

  @Test
  void allowUnmarkedExecutesTheWritesRolledBack() throws SQLException {
    QueryExplain write = run(true).query("mark_as_read");
    assertThat(write.notExecuted()).isNull();
    assertThat(write.plans().get(0).raw()).contains("Execution Time");
  }

  private static ExplainResult run(boolean allowUnmarked) throws SQLException {
    return ExplainRunner.run(
        db,
        QueryCatalog.builtin(),
        new ExplainRunner.Options(
            QUERIES, Duration.ofSeconds(30), ExplainRunner.DEFAULT_SEED, false, allowUnmarked),
        null,
        new PrintWriter(new StringWriter()));
  }
}

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
import org.junit.jupiter.api.Test;

/** The regression a DBA fears: an index a critical path needs is gone. */
class DroppedIndexTest {

  @Test
  void droppingTheIndexFailsTheExpectationAndThePlanShowsTheDetour() throws SQLException {
    try (Database db = TestDatabases.migrated("dropped_index")) {
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        ReferenceData.load(c);
        st.execute("DROP INDEX messages_conversation_created_idx");
      }
      QueryExplain fetch = explainFetch(db).query("message_fetch");
      ExpectationCheck.Result uses = fetch.expectations().get(0);
      assertThat(uses.expectation()).isEqualTo("uses index messages_conversation_created_idx");
      assertThat(uses.passed()).isFalse();
      assertThat(uses.location()).startsWith("queries/message_fetch.sql:");
      // the planner's next best: read the whole business by its index and sort
      assertThat(uses.evidence())
          .contains("hot: does not use messages_conversation_created_idx")
          .contains("indexes used: messages_business_created_idx");
      assertThat(fetch.plans().get(0).analysis().facts().rows()).isEqualTo(50);

      // with no index left that leads to one conversation's messages, a seq scan
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute("DROP INDEX messages_business_created_idx");
      }
      ExplainResult r = explainFetch(db);
      fetch = r.query("message_fetch");
      assertThat(r.expectationsFailed()).isEqualTo(2);
      assertThat(fetch.expectations().get(0).evidence()).contains("seq scan on messages read");
      ExpectationCheck.Result noSeq = fetch.expectations().get(1);
      assertThat(noSeq.passed()).isFalse();
      assertThat(noSeq.evidence()).contains("Seq Scan on messages");
      PlanAnalysis hot = fetch.plans().get(0).analysis();
      assertThat(hot.facts().seqScans())
          .extracting(PlanFacts.SeqScan::relation)
          .contains("messages");
      assertThat(hot.fired(PlanRules.SEQ_SCAN_LARGE)).isTrue();
      StringWriter text = new StringWriter();
      ExplainPrinter.print(r, new PrintWriter(text), false);
      assertThat(text.toString())
          .contains("expectations: 0 passed, 2 failed", "FAIL", "seq-scan-large-table");
    }
  }

  private static ExplainResult explainFetch(Database db) throws SQLException {
    return ExplainRunner.run(
        db,
        QueryCatalog.builtin(),
        new ExplainRunner.Options(
            List.of("message_fetch"), Duration.ofSeconds(30), 42, false, false),
        null,
        new PrintWriter(new StringWriter()));
  }

  @Test
  void anExpectationMayNameIndexesTheQueryCanRightlyChooseBetween() throws Exception {
    try (Database db = TestDatabases.migrated("index_alternatives")) {
      try (Connection c = db.connect()) {
        ReferenceData.load(c);
      }
      String fetch = fetchSql();
      String alternatives =
          fetch.replaceFirst(
              "-- expect: uses index messages_conversation_created_idx",
              "-- expect: uses index no_such_idx or messages_conversation_created_idx\n"
                  + "-- expect: uses index no_such_idx or messages_pkey");
      ExplainResult r = explainFetchAs(db, alternatives);
      List<ExpectationCheck.Result> checks = r.query("message_fetch").expectations();
      assertThat(checks.get(0).passed()).as(checks.get(0).evidence()).isTrue();
      assertThat(checks.get(1).passed()).isFalse();
      assertThat(checks.get(1).evidence())
          .contains("does not use no_such_idx or messages_pkey")
          .contains("indexes used: messages_conversation_created_idx");
    }
  }

  @Test
  void anExpectationThatOnlyHoldsOnMoreDataIsSkippedWithItsReasonUntilTheTableHasIt()
      throws Exception {
    try (Database db = TestDatabases.migrated("expectation_condition")) {
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        ReferenceData.load(c);
        st.execute("DROP INDEX messages_conversation_created_idx");
        st.execute("DROP INDEX messages_business_created_idx");
        st.execute("ANALYZE messages");
      }
      String fetch = fetchSql();
      // both miss on this data (the indexes are gone); only the first applies to it
      String conditioned =
          fetch
              .replaceFirst(
                  "-- expect: no seq scan on messages",
                  "-- expect: no seq scan on messages when messages >= 1,000,000,000 rows")
              .replaceFirst(
                  "-- expect: uses index messages_conversation_created_idx",
                  "-- expect: no seq scan on messages when messages >= 10 rows");
      ExplainResult r = explainFetchAs(db, conditioned);
      List<ExpectationCheck.Result> checks = r.query("message_fetch").expectations();
      assertThat(checks.get(0).passed()).as(checks.get(0).evidence()).isFalse();
      assertThat(checks.get(0).failed()).isTrue();
      assertThat(checks.get(1).passed()).isNull();
      assertThat(checks.get(1).failed()).isFalse();
      assertThat(checks.get(1).skipped())
          .startsWith("holds only from 1,000,000,000 rows in messages, which has ");
      assertThat(r.expectationsFailed()).isEqualTo(1);
      assertThat(r.expectationsSkipped()).isEqualTo(1);
      StringWriter text = new StringWriter();
      ExplainPrinter.print(r, new PrintWriter(text), true);
      assertThat(text.toString()).contains("1 failed, 1 skipped on this data", "skip ");
    }
  }

  /** The reference catalog's message_fetch.sql, to be altered by a test. */
  private static String fetchSql() throws Exception {
    try (var in =
        DroppedIndexTest.class.getResourceAsStream("/critpath/queries/message_fetch.sql")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Explains message_fetch written as {@code sql}. */
  private static ExplainResult explainFetchAs(Database db, String sql) throws SQLException {
    return ExplainRunner.run(
        db,
        QueryCatalog.of(List.of(QueryCatalog.parse("queries/message_fetch.sql", sql))),
        new ExplainRunner.Options(
            List.of("message_fetch"), Duration.ofSeconds(30), 42, false, false),
        null,
        new PrintWriter(new StringWriter()));
  }
}

package dev.critpath.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference workload's catalog: the names reports key on, each with a target and a role. */
class ReferenceCatalogTest {
  static final List<String> REQUIRED =
      List.of(
          "message_fetch",
          "conversation_list",
          "unread_count",
          "unread_count_naive",
          "message_search",
          "message_search_ilike",
          "send_message",
          "mark_as_read",
          "voucher_redeem",
          "business_conversations",
          "conversation_messages",
          "business_message_search",
          "channel_analytics",
          "voucher_issue_100",
          "voucher_issue_1000",
          "voucher_issue_5000");

  @Test
  void shipsEveryReferencePath() {
    QueryCatalog catalog = QueryCatalog.builtin();
    assertThat(catalog.names()).containsAll(REQUIRED);
    for (CatalogQuery q : catalog.queries()) {
      assertThat(q.source()).isEqualTo("queries/" + q.name() + ".sql");
      assertThat(q.about()).as(q.name()).isNotEmpty();
      assertThat(q.targets()).as(q.name()).isNotEmpty();
      // the admin's issuance runs with the service key, every other path as a signed-in user
      assertThat(q.role())
          .as(q.name())
          .isEqualTo(
              q.name().startsWith("voucher_issue_") ? Role.SERVICE_ROLE : Role.AUTHENTICATED);
      assertThat(q.expectations()).as(q.name()).isNotEmpty();
    }
  }

  @Test
  void writesRollBackAndReadsCompareRls() {
    QueryCatalog catalog = QueryCatalog.builtin();
    for (String write : List.of("send_message", "mark_as_read", "voucher_redeem")) {
      assertThat(catalog.get(write).write()).isEqualTo(WriteMode.ROLLBACK);
      assertThat(catalog.get(write).variants()).containsExactly(Variant.RLS_ON);
    }
    assertThat(catalog.get("conversation_list").variants())
        .containsExactly(Variant.RLS_ON, Variant.RLS_OFF);
    assertThat(catalog.get("message_fetch").variants())
        .containsExactly(Variant.RLS_ON, Variant.RLS_OFF, Variant.PLAIN);
  }

  @Test
  void theSeedsTargetsNameTheirSeedRow() {
    QueryCatalog catalog = QueryCatalog.builtin();
    assertTarget(catalog, "message_fetch", 50, "seed 002, Success Metrics: Message Fetch");
    assertTarget(catalog, "conversation_list", 100, "seed 002, Success Metrics: Conversation List");
    assertTarget(catalog, "unread_count", 50, "seed 002, Success Metrics: Unread Count");
    assertTarget(catalog, "message_search", 200, "seed 002, Success Metrics: Message Search");
    assertTarget(catalog, "send_message", 100, "seed 002, Testing Checklist: send_message");
    assertTarget(catalog, "mark_as_read", 50, "seed 002, Testing Checklist: mark_as_read");
    assertTarget(catalog, "voucher_redeem", 500, "seed 004, Latency assumptions: station redeem");
    for (String issue : List.of("voucher_issue_100", "voucher_issue_1000", "voucher_issue_5000")) {
      assertTarget(catalog, issue, 2000, "seed 004, Latency assumptions: voucher issuance");
      assertThat(catalog.get(issue).write()).isEqualTo(WriteMode.CLEANUP);
    }
  }

  private static void assertTarget(QueryCatalog catalog, String query, double ms, String origin) {
    Target t = catalog.get(query).targets().get(0);
    assertThat(t.metric()).as(query).isEqualTo(Target.Metric.P95);
    assertThat(t.thresholdMillis()).as(query).isEqualTo(ms);
    assertThat(t.text()).as(query).startsWith("p95 < ").contains("(" + origin);
  }

  @Test
  void everyStatementAndSampleQueryIsValidOnTheReferenceSchema() throws SQLException {
    try (Database db = TestDatabases.migrated("reference_catalog");
        Connection c = db.connect()) {
      for (CatalogQuery q : QueryCatalog.builtin().queries()) {
        try (PreparedStatement ps = c.prepareStatement(q.jdbcSql())) {
          // describing the statement makes the server parse and plan-check it
          assertThat(ps.getParameterMetaData().getParameterCount())
              .as(q.name())
              .isEqualTo(q.statement().placeholders().size());
        }
        for (ParamDecl p : q.params()) {
          if (p.spec() instanceof SamplerSpec.Sample sample) {
            try (Statement st = c.createStatement()) {
              st.executeQuery(sample.sql()).close();
            }
          }
        }
      }
    }
  }
}

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
          "channel_analytics");

  @Test
  void shipsEveryReferencePath() {
    QueryCatalog catalog = QueryCatalog.builtin();
    assertThat(catalog.names()).containsAll(REQUIRED);
    for (CatalogQuery q : catalog.queries()) {
      assertThat(q.source()).isEqualTo("queries/" + q.name() + ".sql");
      assertThat(q.about()).as(q.name()).isNotEmpty();
      assertThat(q.targets()).as(q.name()).isNotEmpty();
      assertThat(q.role()).as(q.name()).isEqualTo(Role.AUTHENTICATED);
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
  void theSeedsTargets() {
    QueryCatalog catalog = QueryCatalog.builtin();
    assertThat(catalog.get("message_fetch").targets().get(0).text()).isEqualTo("p95 < 50ms");
    assertThat(catalog.get("conversation_list").targets().get(0).text()).isEqualTo("p95 < 100ms");
    assertThat(catalog.get("unread_count").targets().get(0).text()).isEqualTo("p95 < 50ms");
    assertThat(catalog.get("message_search").targets().get(0).text()).isEqualTo("p95 < 200ms");
    assertThat(catalog.get("send_message").targets().get(0).text()).isEqualTo("p95 < 100ms");
    assertThat(catalog.get("mark_as_read").targets().get(0).text()).isEqualTo("p95 < 50ms");
    assertThat(catalog.get("voucher_redeem").targets().get(0).text()).isEqualTo("p95 < 500ms");
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

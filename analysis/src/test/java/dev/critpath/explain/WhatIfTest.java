package dev.critpath.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.schema.Migrator;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** hypopg what-if: on the local PostgreSQL 15 where hypopg is installed, skipped elsewhere. */
class WhatIfTest {
  private static final List<String> QUERIES = List.of("message_fetch", "business_conversations");

  @Test
  void withoutHypopgWhatIfSaysSoAndSkips() throws SQLException {
    try (Database db = TestDatabases.migrated("whatif_none")) {
      ExplainResult r = run(db, List.of("unread_count"));
      assertThat(r.hypopg()).startsWith("skipped: hypopg is not installed on this server");
      assertThat(r.hypopg()).contains("postgresql-17-hypopg");
    }
  }

  @Test
  void hypotheticalIndexFixesAMissingOneAndHiddenIndexesAreJudged() throws SQLException {
    ConnectionSpec local = TestDatabases.localServer();
    Assumptions.assumeTrue(local != null, "no PostgreSQL at 127.0.0.1:5432: skipped");
    Assumptions.assumeTrue(
        hypopgAvailable(local),
        "hypopg is not installed on the local PostgreSQL (apt-get install postgresql-15-hypopg):"
            + " skipped");
    String name = TestDatabases.uniqueName("whatif");
    ConnectionSpec spec = TestDatabases.createDatabase(local, name);
    try (Database db = TestDatabases.open(spec)) {
      Migrator.migrate(db, null, false);
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        ReferenceData.load(c);
        // the chat screen's index is gone; a weaker one serves quiet conversations only
        st.execute("DROP INDEX messages_conversation_created_idx");
        st.execute("CREATE INDEX messages_conversation_idx ON messages (conversation_id)");
        st.execute(
            "CREATE INDEX conversations_business_dup_idx ON conversations"
                + " (business_id, last_message_at DESC)");
      }
      ExplainResult r = run(db, QUERIES);
      assertThat(r.hypopg()).startsWith("ran with hypopg");

      QueryExplain fetch = r.query("message_fetch");
      WhatIf.Outcome suggestion =
          fetch.whatIf().stream()
              .filter(o -> o.kind().equals("hypothetical") && o.variant().equals("hot"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no suggestion: " + fetch.whatIf()));
      assertThat(suggestion.index())
          .as(suggestion.toString())
          .isEqualTo("CREATE INDEX ON messages (conversation_id, created_at DESC)");
      assertThat(suggestion.verdict()).startsWith("worth creating");
      assertThat(suggestion.costAfter()).isLessThan(suggestion.costBefore() / 2);

      WhatIf.Outcome dup =
          r.hiddenIndexes().stream()
              .filter(o -> o.index().equals("public.conversations_business_dup_idx"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("not judged: " + r.hiddenIndexes()));
      assertThat(dup.verdict()).isEqualTo("no catalog query's plan changes without it");
      WhatIf.Outcome weak =
          r.hiddenIndexes().stream()
              .filter(o -> o.index().equals("public.messages_conversation_idx"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("not judged: " + r.hiddenIndexes()));
      assertThat(weak.verdict()).startsWith("needed by: ").contains("message_fetch cold (cost");

      // everything happened in rolled-back transactions
      try (Connection c = db.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'),"
                      + " to_regclass('conversations_business_dup_idx') IS NOT NULL,"
                      + " to_regclass('messages_conversation_idx') IS NOT NULL")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
        assertThat(rs.getBoolean(2)).isTrue();
        assertThat(rs.getBoolean(3)).isTrue();
      }
    } finally {
      TestDatabases.dropDatabase(local, name);
    }
  }

  private static ExplainResult run(Database db, List<String> queries) throws SQLException {
    return ExplainRunner.run(
        db,
        QueryCatalog.builtin(),
        new ExplainRunner.Options(queries, Duration.ofSeconds(30), 42, true, false),
        null,
        new PrintWriter(new StringWriter()));
  }

  private static boolean hypopgAvailable(ConnectionSpec local) {
    try (Database db = TestDatabases.open(local);
        Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'")) {
      return rs.next();
    } catch (SQLException e) {
      return false;
    }
  }
}

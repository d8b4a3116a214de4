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

/**
 * What-if, measured on a database critpath owns (the embedded server: real indexes built and
 * dropped inside rolled-back transactions), with hypopg on somebody else's (the local PostgreSQL 15
 * where hypopg is installed; skipped elsewhere), and neither on a foreign database without hypopg.
 */
class WhatIfTest {
  private static final List<String> QUERIES = List.of("message_fetch", "business_conversations");

  @Test
  void onAForeignDatabaseWithoutHypopgWhatIfSaysSoAndSkips() throws SQLException {
    try (Database db = TestDatabases.migrated("whatif_none")) {
      unmark(db);
      ExplainResult r = run(db, List.of("unread_count"));
      assertThat(r.hypopg()).startsWith("skipped: hypopg is not installed on this server");
      assertThat(r.hypopg()).contains("postgresql-17-hypopg", "--allow-unmarked");
    }
  }

  @Test
  void onItsOwnDatabaseWhatIfBuildsAndDropsRealIndexesAndMeasures() throws SQLException {
    try (Database db = TestDatabases.migrated("whatif_real")) {
      breakIndexes(db);
      ExplainResult r = run(db, QUERIES);
      assertThat(r.hypopg()).startsWith("ran measured (a database critpath owns)");

      WhatIf.Outcome suggestion = suggestion(r.query("message_fetch"));
      assertThat(suggestion.index())
          .as(suggestion.toString())
          .isEqualTo("CREATE INDEX ON messages (conversation_id, created_at DESC)");
      // a measured speed-up: the hot conversation's 5,000 messages are no longer read and sorted
      assertThat(suggestion.msAfter()).isLessThan(suggestion.msBefore() / 2);
      assertThat(suggestion.verdict()).contains("ms measured");

      assertThat(hiddenVerdict(r, "public.conversations_business_dup_idx"))
          .isEqualTo("no catalog query's plan changes without it");
      assertThat(hiddenVerdict(r, "public.messages_conversation_idx"))
          .startsWith("needed by: ")
          .contains("message_fetch cold (", "ms measured");
      assertRolledBack(db);
    }
  }

  @Test
  void aTableAnotherSessionWritesIsReportedNotWaitedFor() throws SQLException {
    try (Database db = TestDatabases.migrated("whatif_locked")) {
      breakIndexes(db);
      try (Connection writer = db.connect();
          Statement st = writer.createStatement()) {
        // an open write transaction: CREATE INDEX (SHARE) and DROP INDEX wait for it
        writer.setAutoCommit(false);
        st.execute("LOCK TABLE messages IN ROW EXCLUSIVE MODE");
        long start = System.nanoTime();
        ExplainResult r = run(db, List.of("message_fetch"));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        writer.rollback();
        assertThat(hiddenVerdict(r, "public.messages_conversation_idx"))
            .startsWith("could not hide it: canceling statement due to lock timeout");
        assertThat(suggestion(r.query("message_fetch")).verdict())
            .startsWith("could not try them: ")
            .contains("lock timeout");
        assertThat(seconds).as("what-if waited for the lock").isLessThan(30);
      }
      assertRolledBack(db);
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
      // somebody else's database: what-if must not build or drop anything for real there
      unmark(db);
      breakIndexes(db);
      ExplainResult r = run(db, QUERIES);
      assertThat(r.hypopg()).startsWith("ran with hypopg").contains("planner estimates only");

      WhatIf.Outcome suggestion = suggestion(r.query("message_fetch"));
      assertThat(suggestion.index())
          .as(suggestion.toString())
          .isEqualTo("CREATE INDEX ON messages (conversation_id, created_at DESC)");
      assertThat(suggestion.verdict()).startsWith("worth creating");
      assertThat(suggestion.costAfter()).isLessThan(suggestion.costBefore() / 2);
      assertThat(suggestion.msAfter()).isNull();

      if (hypopgCanHide(db)) {
        assertThat(hiddenVerdict(r, "public.conversations_business_dup_idx"))
            .isEqualTo("no catalog query's plan changes without it");
        assertThat(hiddenVerdict(r, "public.messages_conversation_idx"))
            .startsWith("needed by: ")
            .contains("message_fetch cold (cost");
      } else {
        // Debian's hypopg for PostgreSQL 15 is 1.3: no hiding, and no DROP on a foreign database
        assertThat(r.hiddenIndexes()).isEmpty();
        assertThat(r.hypopg()).contains("hiding indexes needs hypopg 1.4+");
      }
      assertRolledBack(db);
    } finally {
      TestDatabases.dropDatabase(local, name);
    }
  }

  /** The chat screen's index is gone; a weaker one serves quiet conversations only; a duplicate. */
  private static void breakIndexes(Database db) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      ReferenceData.load(c);
      st.execute("DROP INDEX messages_conversation_created_idx");
      st.execute("CREATE INDEX messages_conversation_idx ON messages (conversation_id)");
      st.execute(
          "CREATE INDEX conversations_business_dup_idx ON conversations"
              + " (business_id, last_message_at DESC)");
    }
  }

  private static void unmark(Database db) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA critpath CASCADE");
    }
  }

  private static WhatIf.Outcome suggestion(QueryExplain fetch) {
    return fetch.whatIf().stream()
        .filter(o -> o.kind().equals("hypothetical") && o.variant().equals("hot"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no suggestion: " + fetch.whatIf()));
  }

  private static String hiddenVerdict(ExplainResult r, String index) {
    return r.hiddenIndexes().stream()
        .filter(o -> o.index().equals(index))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not judged: " + r.hiddenIndexes()))
        .verdict();
  }

  /** Everything happened in rolled-back transactions. */
  private static void assertRolledBack(Database db) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'),"
                    + " to_regclass('conversations_business_dup_idx') IS NOT NULL,"
                    + " to_regclass('messages_conversation_idx') IS NOT NULL,"
                    + " (SELECT count(*) FROM pg_class WHERE relname LIKE 'critpath_whatif%')")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
      assertThat(rs.getBoolean(2)).isTrue();
      assertThat(rs.getBoolean(3)).isTrue();
      assertThat(rs.getInt(4)).isZero();
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

  private static boolean hypopgCanHide(Database db) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT string_to_array(default_version, '.')::int[] >= '{1,4}'"
                    + " FROM pg_available_extensions WHERE name = 'hypopg'")) {
      return rs.next() && rs.getBoolean(1);
    }
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

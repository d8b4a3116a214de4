package dev.critpath.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.db.Pooler;
import dev.critpath.db.TableChecksums;
import dev.critpath.safety.RlsReport.Scope;
import dev.critpath.safety.RlsReport.Status;
import dev.critpath.seed.Profile;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.Seeder;
import dev.critpath.testkit.PgBouncer;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RLS check on the reference schema and the tiny dataset: every read path holds, and a policy
 * made leaky in a throw-away database fails the check naming the queries that leak.
 */
class RlsVerificationTest {
  /** The reference catalog's read paths that read messages (directly or through a function). */
  private static final List<String> MESSAGE_READERS =
      List.of(
          "business_message_search",
          "channel_analytics",
          "conversation_messages",
          "message_fetch",
          "message_search",
          "message_search_ilike",
          "unread_count_naive");

  private static Database seeded;

  @BeforeAll
  static void seed() {
    seeded = seededDatabase("rls");
  }

  @AfterAll
  static void close() {
    seeded.close();
  }

  @Test
  void everyReadPathOfTheReferenceCatalogHolds() throws Exception {
    Map<String, TableChecksums.TableState> before = checksums(seeded);

    RlsReport report = RlsVerification.run(seeded, QueryCatalog.builtin());

    assertThat(report.queries())
        .extracting(RlsReport.Query::query)
        .containsExactly(
            "business_conversations",
            "business_message_search",
            "channel_analytics",
            "conversation_list",
            "conversation_messages",
            "message_fetch",
            "message_search",
            "message_search_ilike",
            "unread_count",
            "unread_count_naive");
    assertThat(report.skipped())
        .extracting(RlsReport.Skipped::query)
        .containsExactly(
            "mark_as_read",
            "send_message",
            "voucher_issue_100",
            "voucher_issue_1000",
            "voucher_issue_5000",
            "voucher_redeem");
    for (RlsReport.Query q : report.queries()) {
      assertThat(q.status()).as(q.query() + ": " + q).isEqualTo(Status.PASS);
      assertThat(q.memberRows()).as(q.query()).isPositive();
      assertThat(q.outsider().businesses())
          .as(q.query() + ": the outsider shares no business with the member of B")
          .doesNotContainAnyElementsOf(q.member().businesses())
          .isNotEmpty();
      assertThat(q.probes())
          .extracting(RlsReport.Probe::name)
          .containsExactly(RlsVerification.OUTSIDER_PROBE, RlsVerification.ANON_PROBE);
      // anon has no grant on anything private: refused outright
      assertThat(q.probes().get(1).evidence()).as(q.query()).startsWith("refused: ");
    }
    assertThat(report.passed()).isEqualTo(10);
    assertThat(report.failed()).isZero();
    assertThat(scope(report, "message_fetch")).isEqualTo(Scope.ADDRESSED);
    assertThat(scope(report, "business_conversations")).isEqualTo(Scope.ADDRESSED);
    assertThat(scope(report, "conversation_list")).isEqualTo(Scope.CALLER);
    assertThat(scope(report, "message_search")).isEqualTo(Scope.CALLER);
    // a count(*) without GROUP BY always answers one row: the outsider's must be the "nothing" one
    RlsReport.Probe naive = query(report, "unread_count_naive").probes().get(0);
    assertThat(naive.rows()).isEqualTo(1);
    assertThat(naive.evidence()).contains("as for ids that match nothing");
    assertThat(checksums(seeded)).as("the check wrote nothing").isEqualTo(before);
  }

  @Test
  void aLeakyPolicyFailsTheQueriesThatReadThroughIt() throws Exception {
    try (Database db = seededDatabase("rls_leak")) {
      TestDatabases.exec(
          db.spec(), "CREATE POLICY leak ON messages FOR SELECT TO authenticated USING (true)");

      RlsReport report = RlsVerification.run(db, QueryCatalog.builtin());

      assertThat(report.failedQueries()).containsExactlyInAnyOrderElementsOf(MESSAGE_READERS);
      RlsReport.Query fetch = query(report, "message_fetch");
      RlsReport.Probe outsider = fetch.probes().get(0);
      assertThat(outsider.status()).isEqualTo(Status.FAIL);
      assertThat(outsider.rows()).isEqualTo(fetch.memberRows()).isPositive();
      assertThat(outsider.evidence())
          .contains("where ids that match nothing give 0 rows", "of them the member of B's");
      assertThat(fetch.probes().get(1).status())
          .as("anon still has no grant")
          .isEqualTo(Status.PASS);
      assertThat(query(report, "business_conversations").status()).isEqualTo(Status.PASS);
    }
  }

  @Test
  void rlsSwitchedOffAndAnonGrantedFailsTheAnonProbe() throws Exception {
    try (Database db = seededDatabase("rls_off")) {
      TestDatabases.exec(db.spec(), "ALTER TABLE conversations DISABLE ROW LEVEL SECURITY");
      TestDatabases.exec(db.spec(), "GRANT SELECT ON conversations TO anon");

      RlsReport report = RlsVerification.run(db, QueryCatalog.builtin());

      assertThat(report.failedQueries()).containsExactly("business_conversations");
      RlsReport.Query q = query(report, "business_conversations");
      assertThat(q.probes())
          .allSatisfy(p -> assertThat(p.status()).as(p.name()).isEqualTo(Status.FAIL));
      assertThat(q.probes().get(1).user()).isNull();
      assertThat(q.probes().get(1).rows()).isEqualTo(q.memberRows());
    }
  }

  @Test
  void aPathWhoseMemberSeesNothingIsInconclusiveNotPassed() throws Exception {
    QueryCatalog catalog =
        QueryCatalog.of(
            List.of(
                QueryCatalog.parse(
                    "queries/nothing.sql",
                    """
                    -- name: nothing_to_see
                    -- role: authenticated as :user_id
                    -- param: conversation_id, user_id = sample(
                    --     SELECT conversation_id, profile_id FROM conversation_participants LIMIT 5)
                    SELECT id FROM messages WHERE conversation_id = :conversation_id AND false
                    """)));

    RlsReport report = RlsVerification.run(seeded, catalog);

    assertThat(report.inconclusive()).isEqualTo(1);
    RlsReport.Query q = report.queries().get(0);
    assertThat(q.status()).isEqualTo(Status.INCONCLUSIVE);
    assertThat(q.probes()).isEmpty();
    assertThat(q.evidence()).contains("never saw a row");
  }

  /** The same verdicts, row counts and probes through a transaction pooler as directly. */
  @Test
  void theVerdictsAreTheSameDirectAndThroughATransactionPooler() throws Exception {
    PgBouncer.assumeInstalled();
    RlsReport direct = RlsVerification.run(seeded, QueryCatalog.builtin());
    try (PgBouncer bouncer = PgBouncer.start(seeded.spec(), "transaction", 2, Map.of());
        Database pooled =
            Database.open(
                new DatabaseTarget.External(bouncer.front(seeded.spec()), "test"),
                Duration.ofSeconds(30))) {
      assertThat(pooled.pooler().mode()).isEqualTo(Pooler.Mode.TRANSACTION);
      RlsReport throughPooler = RlsVerification.run(pooled, QueryCatalog.builtin());
      assertThat(throughPooler).isEqualTo(direct);
      assertThat(direct.passed()).isPositive();
    }
  }

  private static Database seededDatabase(String purpose) {
    Database db = TestDatabases.migrated(purpose);
    Seeder.seed(db, SeedOptions.of(Profile.TINY));
    return db;
  }

  private static Map<String, TableChecksums.TableState> checksums(Database db) throws Exception {
    try (Connection c = db.connect()) {
      return TableChecksums.snapshot(c, List.of("public"));
    }
  }

  private static RlsReport.Query query(RlsReport report, String name) {
    return report.queries().stream().filter(q -> q.query().equals(name)).findFirst().orElseThrow();
  }

  private static Scope scope(RlsReport report, String name) {
    return query(report, name).scope();
  }
}

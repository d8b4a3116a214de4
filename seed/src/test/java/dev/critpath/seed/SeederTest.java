package dev.critpath.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.dataset.Ids;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.schema.Migrator;
import dev.critpath.testkit.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeds the tiny profile into real PostgreSQL databases and checks what landed. */
class SeederTest {
  static final Instant ANCHOR = Instant.parse("2025-06-01T00:00:00Z");
  static final SeedOptions TINY = SeedOptions.of(Profile.TINY).withAnchor(ANCHOR);

  /** The tiny profile's rows per table (receipts and participants follow from the seed). */
  static final Map<String, Long> TINY_ROWS =
      Map.ofEntries(
          Map.entry("businesses", 4L),
          Map.entry("profiles", 100L),
          Map.entry("business_members", 110L),
          Map.entry("conversations", 200L),
          Map.entry("messages", 5_000L),
          Map.entry("attachments", 500L),
          Map.entry("stations", 4L),
          Map.entry("campaigns", 2L),
          Map.entry("campaign_targets", 200L),
          Map.entry("vouchers", 100L),
          Map.entry("redemptions", 25L));

  static Database seeded;
  static SeedReport report;

  @BeforeAll
  static void seedOnce() {
    seeded = TestDatabases.migrated("seed_tiny");
    report = Seeder.seed(seeded, TINY);
  }

  @AfterAll
  static void close() {
    seeded.close();
  }

  @Test
  void loadsExactlyThePlannedRows() throws SQLException {
    Map<String, Long> counts = counts(seeded);
    TINY_ROWS.forEach((table, rows) -> assertThat(counts.get(table)).as(table).isEqualTo(rows));
    DataModel model = new DataModel(Profile.TINY.plan(), SeedOptions.DEFAULT_SEED, ANCHOR);
    Rows rows = new Rows(model, ConversationStats.compute(model), null); // counts only
    for (SeedTable t : SeedTable.values()) {
      assertThat(counts.get(t.sqlName())).as(t.sqlName()).isEqualTo(rows.plannedRows(t));
      assertThat(report.dataset().rows().get(t.sqlName())).isEqualTo(counts.get(t.sqlName()));
    }
    assertThat(report.dataset().count(Ids.Entity.MESSAGE)).isEqualTo(5_000);
    assertThat(report.idRanges().get("user").last())
        .isEqualTo("00000000-0000-4000-8000-000000000100");
  }

  @Test
  void everyRowFollowsTheIdSchemeAndEveryForeignKeyHolds() throws SQLException {
    for (SeedTable t : SeedTable.values()) {
      if (t.entity() != null) {
        assertThat(
                TestDatabases.number(
                    seeded,
                    "SELECT count(*) FROM "
                        + t.sqlName()
                        + " WHERE id::text !~ '^"
                        + String.format("%08x", t.entity().code)
                        + "-0000-4000-8000-[0-9]{12}$'"))
            .as(t.sqlName())
            .isZero();
      }
      // COPY ran without FK triggers: prove every reference by anti-join.
      for (SeedTable.ForeignKey fk : t.foreignKeys()) {
        assertThat(
                TestDatabases.number(
                    seeded,
                    "SELECT count(*) FROM "
                        + t.sqlName()
                        + " c WHERE c."
                        + fk.column()
                        + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                        + fk.parent()
                        + " p WHERE p.id = c."
                        + fk.column()
                        + ")"))
            .as(t.sqlName() + "." + fk.column())
            .isZero();
      }
    }
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM conversations c, unnest(c.participants) u WHERE NOT EXISTS"
                    + " (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = c.id"
                    + " AND p.profile_id = u)"))
        .isZero();
  }

  @Test
  void recordsTheDatasetInTheMarker() throws SQLException {
    SeededDataset loaded = Seeder.loaded(seeded).orElseThrow();
    DatasetSummary summary = loaded.summary();
    assertThat(summary.profile()).isEqualTo("tiny");
    assertThat(summary.seed()).isEqualTo(42);
    assertThat(summary.fingerprint()).isEqualTo(report.fingerprint()).hasSize(32);
    assertThat(summary.rows()).isEqualTo(report.dataset().rows());
    assertThat(loaded.anchor()).isEqualTo(ANCHOR);
    assertThat(loaded.generatorVersion()).isEqualTo(Seeder.GENERATOR_VERSION);
    assertThat(loaded.model().voucherCode(3))
        .isEqualTo(
            text(
                seeded,
                "SELECT code FROM vouchers WHERE id = '" + Ids.text(Ids.Entity.VOUCHER, 3) + "'"));
    assertThat(
            text(
                seeded,
                "SELECT dataset_profile || ' ' || dataset_seed || ' ' || dataset_fingerprint"
                    + " FROM critpath.marker"))
        .isEqualTo("tiny 42 " + report.fingerprint());
  }

  @Test
  void conversationSizesAreSkewedAndTheHottestIsNumberOne() throws SQLException {
    // Top 1 % of conversations (2 of 200) hold a large share of all messages.
    double top =
        TestDatabases.number(
                seeded,
                "SELECT sum(n) FROM (SELECT count(*) n FROM messages GROUP BY conversation_id"
                    + " ORDER BY n DESC LIMIT 2) x")
            / 5_000.0;
    assertThat(top).isGreaterThan(0.15);
    assertThat(
            text(
                seeded,
                "SELECT conversation_id::text FROM messages GROUP BY 1 ORDER BY count(*) DESC"
                    + " LIMIT 1"))
        .isEqualTo(Ids.text(Ids.Entity.CONVERSATION, 1));
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT min(n) FROM (SELECT count(*) n FROM messages GROUP BY"
                    + " conversation_id) x"))
        .as("every conversation has a message")
        .isPositive();
    assertThat(TestDatabases.number(seeded, "SELECT count(DISTINCT conversation_id) FROM messages"))
        .isEqualTo(200);
    // User activity: the top 10 % of users send far more than 10 % of messages.
    double topUsers =
        TestDatabases.number(
                seeded,
                "SELECT sum(n) FROM (SELECT count(*) n FROM messages GROUP BY sender_id"
                    + " ORDER BY n DESC LIMIT 10) x")
            / 5_000.0;
    assertThat(topUsers).isGreaterThan(0.3);
  }

  @Test
  void timestampsSpanNinetyDaysWithARecentBias() throws SQLException {
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM messages WHERE created_at > '2025-06-01'"
                    + " OR created_at < timestamptz '2025-06-01' - interval '90 days'"))
        .isZero();
    long lastMonth =
        TestDatabases.number(
            seeded,
            "SELECT count(*) FROM messages WHERE created_at > timestamptz '2025-06-01'"
                + " - interval '30 days'");
    assertThat(lastMonth / 5_000.0)
        .as("a third of the window holds half the messages")
        .isBetween(0.45, 0.7);
  }

  @Test
  void everyMessageCarriesToTsvectorOfItsContent() throws SQLException {
    // The seeder sends messages.search itself (schema V5): it must be what the trigger computes.
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM messages"
                    + " WHERE search IS DISTINCT FROM to_tsvector('english', content)"))
        .isZero();
  }

  @Test
  void searchTermsHitTheirDocumentedSelectivity() throws SQLException {
    assertThat(report.searchTerms())
        .extracting(DatasetSummary.SearchTerm::selectivity)
        .containsExactly("rare", "medium", "common");
    for (DatasetSummary.SearchTerm term : report.searchTerms()) {
      long planted = Math.round(term.fraction() * 5_000);
      long ilike =
          TestDatabases.number(
              seeded, "SELECT count(*) FROM messages WHERE content ILIKE '%" + term.term() + "%'");
      long fullText =
          TestDatabases.number(
              seeded,
              "SELECT count(*) FROM messages WHERE search @@ websearch_to_tsquery('english', '"
                  + term.term()
                  + "')");
      assertThat(ilike).as(term.term()).isEqualTo(planted);
      assertThat(fullText).as(term.term()).isEqualTo(planted);
    }
    double target = TextGenerator.TERMS.get(2).targetFraction();
    assertThat(report.searchTerms().get(2).fraction()).isEqualTo(target);
  }

  @Test
  void readStateAgreesWithTheReceiptsAndTheMessages() throws SQLException {
    // unread_count = messages by others without this participant's receipt.
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM conversation_participants cp WHERE cp.unread_count <>"
                    + " (SELECT count(*) FROM messages m WHERE m.conversation_id ="
                    + " cp.conversation_id AND m.sender_id <> cp.profile_id AND NOT EXISTS"
                    + " (SELECT 1 FROM message_read_receipts r WHERE r.message_id = m.id AND"
                    + " r.profile_id = cp.profile_id))"))
        .isZero();
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM conversation_participants cp WHERE cp.last_read_at IS"
                    + " DISTINCT FROM (SELECT max(r.read_at) FROM message_read_receipts r JOIN"
                    + " messages m ON m.id = r.message_id WHERE m.conversation_id ="
                    + " cp.conversation_id AND r.profile_id = cp.profile_id)"))
        .isZero();
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM message_read_receipts r JOIN messages m ON m.id ="
                    + " r.message_id WHERE r.read_at < m.created_at OR r.profile_id = m.sender_id"))
        .isZero();
    // The inbox columns match the latest message.
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM conversations c JOIN LATERAL (SELECT created_at, content"
                    + " FROM messages m WHERE m.conversation_id = c.id ORDER BY created_at DESC,"
                    + " id DESC LIMIT 1) l ON true WHERE c.last_message_at <> l.created_at OR"
                    + " c.last_message_preview <> left(l.content, 120) OR c.created_at >"
                    + " (SELECT min(created_at) FROM messages m WHERE m.conversation_id = c.id)"))
        .isZero();
    // Unread state varies: some participants caught up, some far behind, some never read.
    assertThat(
            TestDatabases.number(
                seeded, "SELECT count(*) FROM conversation_participants WHERE unread_count = 0"))
        .isPositive();
    assertThat(
            TestDatabases.number(seeded, "SELECT max(unread_count) FROM conversation_participants"))
        .isGreaterThan(100);
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM conversation_participants WHERE last_read_at IS NULL"))
        .isPositive();
    assertThat(report.unread().topUserUnread()).isGreaterThan(100);
  }

  @Test
  void voucherStatesAreMixedAndRedemptionsMatch() throws SQLException {
    assertThat(
            text(
                seeded,
                "SELECT string_agg(status || '=' || n, ',' ORDER BY status) FROM"
                    + " (SELECT status, count(*) n FROM vouchers GROUP BY status) x"))
        .isEqualTo("expired=12,issued=60,redeemed=25,void=3");
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM vouchers v FULL JOIN redemptions r ON r.voucher_id = v.id"
                    + " WHERE (v.status = 'redeemed') IS DISTINCT FROM (r.id IS NOT NULL)"
                    + " OR r.redeemed_at IS DISTINCT FROM v.redeemed_at"))
        .isZero();
    assertThat(
            TestDatabases.number(
                seeded,
                "SELECT count(*) FROM vouchers WHERE (status = 'issued' AND expires_at <="
                    + " '2025-06-01') OR (status = 'expired' AND expires_at > '2025-06-01')"))
        .isZero();
  }

  @Test
  void endsWithExactlyTheSchemasIndexesAnalyzed() throws SQLException {
    try (Database fresh = TestDatabases.migrated("seed_fresh");
        Connection a = fresh.connect();
        Connection b = seeded.connect()) {
      assertThat(IndexManager.snapshot(b)).isEqualTo(IndexManager.snapshot(a));
    }
    assertThat(TestDatabases.number(seeded, "SELECT count(*) FROM " + IndexManager.PENDING_TABLE))
        .isZero();
    assertThat(
            TestDatabases.number(
                seeded,
                // tables only the app writes (no seeded rows): idempotency keys, dispatch log
                "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname"
                    + " NOT IN ('idempotency_keys', 'channel_sends')"
                    + " AND (last_analyze IS NULL OR last_vacuum IS NULL)"))
        .isZero();
    assertThat(report.indexes())
        .extracting(SeedReport.IndexStat::index)
        .contains("messages_content_trgm_idx", "message_read_receipts_pkey");
  }

  @Test
  void sameSeedGivesTheSameRowsAndFingerprintAnotherSeedOthers() throws SQLException {
    try (Database again = TestDatabases.migrated("seed_same");
        Database other = TestDatabases.migrated("seed_other")) {
      SeedReport same = Seeder.seed(again, TINY);
      SeedReport different = Seeder.seed(other, TINY.withSeed(43));
      assertThat(same.fingerprint()).isEqualTo(report.fingerprint());
      assertThat(different.fingerprint()).isNotEqualTo(report.fingerprint());
      Map<String, String> base = digests(seeded);
      assertThat(digests(again)).isEqualTo(base);
      Map<String, String> changed = digests(other);
      assertThat(changed.get("messages")).isNotEqualTo(base.get("messages"));
      assertThat(changed.get("conversations")).isNotEqualTo(base.get("conversations"));
    }
  }

  @Test
  void reseedingReplacesCritpathRowsAndKeepsEveryoneElses() throws SQLException {
    try (Database db = TestDatabases.migrated("seed_foreign")) {
      SeedReport first = Seeder.seed(db, TINY);
      String critBusiness = Ids.text(Ids.Entity.BUSINESS, 1);
      String critUser = Ids.text(Ids.Entity.USER, 1);
      String critConversation = Ids.text(Ids.Entity.CONVERSATION, 1);
      String critVoucher = Ids.text(Ids.Entity.VOUCHER, 1);
      execute(
          db,
          // Somebody else's rows: a business with a user, a conversation and a message.
          "INSERT INTO businesses (id, name) VALUES ('aaaaaaaa-0000-4000-8000-000000000001',"
              + " 'Foreign Ltd')",
          "INSERT INTO profiles (id, business_id, username, full_name, email) VALUES"
              + " ('aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000001',"
              + " 'foreigner', 'Fo Reigner', 'fo@example.com')",
          "INSERT INTO conversations (id, business_id, participants) VALUES"
              + " ('aaaaaaaa-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000001',"
              + " '{aaaaaaaa-0000-4000-8000-000000000002}')",
          "INSERT INTO messages (id, conversation_id, business_id, sender_id, content) VALUES"
              + " ('aaaaaaaa-0000-4000-8000-000000000004', 'aaaaaaaa-0000-4000-8000-000000000003',"
              + " 'aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002',"
              + " 'not critpath''s')",
          "INSERT INTO idempotency_keys (key, scope, response) VALUES ('foreign', 'x', '{}')",
          // Rows a benchmark left behind, hanging off critpath's rows: they go with them.
          "INSERT INTO messages (id, conversation_id, business_id, sender_id, content) VALUES"
              + " (gen_random_uuid(), '"
              + critConversation
              + "', '"
              + critBusiness
              + "', '"
              + critUser
              + "', 'sent by a benchmark')",
          "DELETE FROM redemptions WHERE voucher_id = '" + critVoucher + "'",
          "UPDATE vouchers SET status = 'issued' WHERE id = '" + critVoucher + "'",
          "INSERT INTO redemptions (voucher_id, station_id) VALUES ('"
              + critVoucher
              + "', '"
              + Ids.text(Ids.Entity.STATION, 1)
              + "')");
      SeedReport second = Seeder.seed(db, TINY);
      assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
      assertThat(
              TestDatabases.number(
                  db, "SELECT count(*) FROM businesses WHERE name = 'Foreign Ltd'"))
          .isEqualTo(1);
      assertThat(
              TestDatabases.number(
                  db, "SELECT count(*) FROM profiles WHERE username = 'foreigner'"))
          .isEqualTo(1);
      assertThat(
              TestDatabases.number(
                  db, "SELECT count(*) FROM messages WHERE content = 'not critpath''s'"))
          .isEqualTo(1);
      assertThat(TestDatabases.number(db, "SELECT count(*) FROM idempotency_keys")).isEqualTo(1);
      assertThat(
              TestDatabases.number(
                  db, "SELECT count(*) FROM messages WHERE content = 'sent by a benchmark'"))
          .isZero();
      Map<String, Long> counts = counts(db);
      assertThat(counts.get("messages")).isEqualTo(5_001);
      assertThat(counts.get("businesses")).isEqualTo(5);
      assertThat(counts.get("redemptions")).isEqualTo(25);
      assertThat(digestsOfCritpathRows(db)).isEqualTo(digestsOfCritpathRows(seeded));
      // Idempotent: a third run changes nothing.
      Seeder.seed(db, TINY);
      assertThat(counts(db)).isEqualTo(counts);
    }
  }

  @Test
  void refusesADatabaseWithoutTheMarkerUnlessAllowed() throws SQLException {
    try (Database db = TestDatabases.migrated("seed_unmarked")) {
      execute(db, "DROP TABLE critpath.marker");
      assertThatThrownBy(() -> Seeder.seed(db, TINY))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("refusing to seed")
          .hasMessageContaining("--allow-unmarked");
      assertThat(TestDatabases.number(db, "SELECT count(*) FROM messages")).isZero();
      SeedReport forced = Seeder.seed(db, TINY.withAllowUnmarked(true));
      assertThat(forced.rows()).isPositive();
      assertThat(TestDatabases.number(db, "SELECT count(*) FROM messages")).isEqualTo(5_000);
    }
  }

  @Test
  void aDatabaseWithoutTheSchemaIsAClearError() {
    try (Database db = TestDatabases.empty("seed_noschema")) {
      assertThatThrownBy(() -> Seeder.seed(db, TINY))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("has no critpath schema")
          .hasMessageContaining("./run.sh migrate");
    }
  }

  @Test
  void aDatabaseAtAnOlderSchemaIsAClearError() throws SQLException {
    try (Database db = TestDatabases.migrated("seed_oldschema")) {
      // What schema V4 had: the vector as a generated column, which COPY may not fill.
      execute(
          db,
          "DROP TRIGGER messages_search_sync ON messages; ALTER TABLE messages DROP COLUMN search;"
              + " ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS"
              + " (to_tsvector('english'::regconfig, content)) STORED");
      assertThatThrownBy(() -> Seeder.seed(db, TINY))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("older critpath schema")
          .hasMessageContaining("./run.sh migrate");
      assertThat(TestDatabases.number(db, "SELECT count(*) FROM messages")).isZero();
    }
  }

  @Test
  void aFailedLoadLeavesNoDatasetAndTheIndexesIntact() throws SQLException {
    try (Database db = TestDatabases.migrated("seed_fail")) {
      Seeder.seed(db, TINY);
      Set<String> indexes;
      try (Connection c = db.connect()) {
        indexes = IndexManager.snapshot(c);
      }
      // A constraint the newer half of the messages violates: COPY fails half-way.
      execute(
          db,
          "ALTER TABLE messages ADD CONSTRAINT not_after_may CHECK (created_at < '2025-05-15')"
              + " NOT VALID");
      try (Connection c = db.connect()) {
        indexes = IndexManager.snapshot(c);
      }
      assertThatThrownBy(() -> Seeder.seed(db, TINY))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("seed failed")
          .hasMessageContaining("not_after_may")
          .hasMessageContaining("removed again");
      assertThat(Seeder.loaded(db)).isEmpty();
      assertThat(TestDatabases.number(db, "SELECT count(*) FROM messages")).isZero();
      assertThat(TestDatabases.number(db, "SELECT count(*) FROM businesses")).isZero();
      try (Connection c = db.connect()) {
        assertThat(IndexManager.snapshot(c)).isEqualTo(indexes);
      }
      assertThat(TestDatabases.number(db, "SELECT count(*) FROM " + IndexManager.PENDING_TABLE))
          .isZero();
    }
  }

  @Test
  void aSeedKilledHalfWayIsRepairedByTheNext() throws SQLException {
    try (Database db = TestDatabases.migrated("seed_killed");
        Database reference = TestDatabases.migrated("seed_killed_ref")) {
      // What a seed killed after dropping leaves: the recipes, and no index, key or trigger.
      try (Connection c = db.connect()) {
        IndexManager.ensurePendingTable(c);
        IndexManager.drop(c, IndexManager.droppable(c));
      }
      assertThat(
              TestDatabases.number(
                  db,
                  "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'messages'"))
          .isZero();
      assertThat(
              TestDatabases.number(
                  db,
                  "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                      + " AND confrelid = 'messages'::regclass"))
          .isZero();
      Seeder.seed(db, TINY);
      try (Connection a = db.connect();
          Connection b = reference.connect()) {
        assertThat(IndexManager.snapshot(a)).isEqualTo(IndexManager.snapshot(b));
      }
    }
  }

  @Test
  void aConnectionDroppedMidLoadIsAClearErrorAndLeavesTheDatabaseClean() throws SQLException {
    try (Database db = TestDatabases.migrated("seed_dropped")) {
      Seeder.seed(db, TINY);
      AtomicBoolean killed = new AtomicBoolean();
      SeedListener killer =
          new SeedListener() {
            @Override
            public void rows(String table, long rows) {
              if (table.equals("messages") && killed.compareAndSet(false, true)) {
                try {
                  TestDatabases.number(
                      db,
                      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                          + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                          + " AND query LIKE 'COPY public.messages%'");
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              }
            }
          };
      assertThatThrownBy(() -> Seeder.seed(db, TINY.withListener(killer)))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("seed failed: lost the connection")
          .hasMessageContaining("removed again");
      assertThat(killed).isTrue();
      assertThat(Seeder.loaded(db)).isEmpty();
      assertThat(counts(db).values()).allMatch(n -> n == 0);
      assertThat(TestDatabases.number(db, "SELECT count(*) FROM " + IndexManager.PENDING_TABLE))
          .isZero();
    }
  }

  @Test
  void withoutSuperuserTheLoadKeepsForeignKeyChecksAndStillWorks() throws SQLException {
    try (Database db = TestDatabases.migrated("seed_owner")) {
      String role = "seed_owner_" + Long.toHexString(System.nanoTime());
      execute(db, "CREATE ROLE " + role + " LOGIN PASSWORD 'owner-secret'");
      execute(
          db,
          "GRANT USAGE ON SCHEMA critpath TO " + role,
          "GRANT ALL ON critpath.marker TO " + role);
      for (SeedTable t : SeedTable.values()) {
        execute(db, "ALTER TABLE " + t.sqlName() + " OWNER TO " + role);
      }
      ConnectionSpec ownerSpec =
          new ConnectionSpec(
              db.spec().host(),
              db.spec().port(),
              db.spec().database(),
              role,
              "owner-secret",
              db.spec().params());
      try (Database asOwner = TestDatabases.open(ownerSpec)) {
        assertThatThrownBy(() -> Seeder.seed(asOwner, TINY))
            .isInstanceOf(UserError.class)
            .hasMessageContaining("must own them")
            .hasMessageContaining("may CREATE in schema public")
            .hasMessageContaining("Connect as the user that ran migrate");
      }
      assertThat(
              TestDatabases.number(
                  db,
                  "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'messages'"))
          .as("nothing was dropped")
          .isEqualTo(7);
      execute(
          db,
          "GRANT CREATE ON SCHEMA critpath TO " + role,
          "GRANT CREATE ON SCHEMA public TO " + role,
          "GRANT USAGE ON SCHEMA extensions TO " + role);
      ConnectionSpec owner =
          new ConnectionSpec(
              db.spec().host(),
              db.spec().port(),
              db.spec().database(),
              role,
              "owner-secret",
              db.spec().params());
      try (Database asOwner = TestDatabases.open(owner)) {
        SeedReport r = Seeder.seed(asOwner, TINY);
        assertThat(r.foreignKeyChecks()).isTrue();
        assertThat(r.fingerprint()).isEqualTo(report.fingerprint());
      }
      assertThat(digests(db)).isEqualTo(digests(seeded));
    }
  }

  @Test
  void progressGoesToPlainLinesWhenNotATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Database db = TestDatabases.migrated("seed_progress")) {
      ConsoleProgress progress =
          new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
      Seeder.seed(db, TINY.withListener(progress));
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("seed: messages", "rows/s", "removing the previous critpath rows");
    assertThat(text).doesNotContain("\r", "\033[");
  }

  @Test
  void summaryFileIsWrittenAtomicallyAsJson(@TempDir Path dir) throws Exception {
    Path file = report.write(dir);
    assertThat(file.getFileName().toString()).isEqualTo("seed-summary.json");
    String json = Files.readString(file);
    assertThat(json)
        .contains("\"profile\" : \"tiny\"", "\"fingerprint\"", "\"rowsPerSecond\"", "quokka");
    SeedReport back = dev.critpath.io.Json.mapper().readValue(json, SeedReport.class);
    assertThat(back.fingerprint()).isEqualTo(report.fingerprint());
    assertThat(back.tables()).hasSize(SeedTable.values().length);
    assertThat(Files.list(dir)).hasSize(1);
  }

  @Test
  void migrateAfterSeedStillAppliesNothing() {
    assertThat(Migrator.migrate(seeded, null, false).applied()).isZero();
  }

  // ------------------------------------------------------------------ helpers

  static Map<String, Long> counts(Database db) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (SeedTable t : SeedTable.values()) {
      out.put(t.sqlName(), TestDatabases.number(db, "SELECT count(*) FROM " + t.sqlName()));
    }
    return out;
  }

  /** A digest of every column of every row (generated search column included), per table. */
  static Map<String, String> digests(Database db) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    for (SeedTable t : SeedTable.values()) {
      out.put(
          t.sqlName(),
          text(
              db,
              "SELECT md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM "
                  + t.sqlName()
                  + " x"));
    }
    return out;
  }

  static Map<String, String> digestsOfCritpathRows(Database db) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    for (SeedTable t : SeedTable.values()) {
      out.put(
          t.sqlName(),
          text(
              db,
              "SELECT md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM "
                  + t.sqlName()
                  + " x WHERE "
                  + Cleaner.ours(t)));
    }
    return out;
  }

  static String text(Database db, String sql) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void execute(Database db, String... statements) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }
}

package dev.critpath.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Index health rules on the migrated reference schema plus fixtures that must trip them. */
class InspectorTest {
  private static Database db;
  private static InspectResult result;

  @BeforeAll
  static void setUp() throws SQLException {
    db = TestDatabases.migrated("inspect");
    exec(
        // duplicates: an exact copy, a copy of a unique constraint's index, prefixes
        "CREATE INDEX messages_conv_dup_idx ON messages (conversation_id, created_at DESC)",
        "CREATE INDEX vouchers_code_plain_idx ON vouchers (code)",
        "CREATE INDEX messages_conv_prefix_idx ON messages (conversation_id)",
        // a backward scan of (business_id, last_message_at DESC) serves business_id DESC
        "CREATE INDEX conversations_business_desc_idx ON conversations (business_id DESC)",
        // not redundant: another predicate, not a prefix
        "CREATE INDEX messages_conv_images_idx ON messages (conversation_id) WHERE kind = 'image'",
        "CREATE INDEX messages_created_idx ON messages (created_at)",
        // an FK without an index, and a composite one whose index has its columns reversed
        "CREATE TABLE inspect_notes (id int PRIMARY KEY, message_id uuid REFERENCES messages (id))",
        "CREATE TABLE inspect_pairs (a int, b int, PRIMARY KEY (a, b))",
        "CREATE TABLE inspect_pair_refs (a int, b int, FOREIGN KEY (b, a) REFERENCES"
            + " inspect_pairs (b, a))",
        "ALTER TABLE inspect_pairs ADD UNIQUE (b, a)",
        "CREATE INDEX inspect_pair_refs_ab_idx ON inspect_pair_refs (a, b)",
        // a bloated table with an unused index, a used one and a mostly-NULL one
        "CREATE TABLE inspect_big (id int PRIMARY KEY, ref int, tag text, note_id int)",
        "INSERT INTO inspect_big SELECT g, CASE WHEN g % 20 = 0 THEN g END, md5(g::text), g"
            + " FROM generate_series(1, 100000) g",
        // without btree deduplication, which would fold its NULL entries into a few posting lists
        "CREATE INDEX inspect_big_ref_idx ON inspect_big (ref) WITH (deduplicate_items = off)",
        "CREATE INDEX inspect_big_tag_idx ON inspect_big (tag)",
        "CREATE INDEX inspect_big_note_idx ON inspect_big (note_id)",
        "DELETE FROM inspect_big WHERE id % 5 <> 0",
        "VACUUM ANALYZE inspect_big",
        // a table read by seq scans only
        "CREATE TABLE inspect_scanned (id int, v int)",
        "INSERT INTO inspect_scanned SELECT g, g % 100 FROM generate_series(1, 20000) g",
        "ANALYZE inspect_scanned",
        // a bulk load nothing has read yet
        "CREATE TABLE inspect_loaded (id int, v text)",
        "INSERT INTO inspect_loaded SELECT g, md5(g::text) FROM generate_series(1, 50000) g",
        "CREATE INDEX inspect_loaded_v_idx ON inspect_loaded (v)",
        "ANALYZE inspect_loaded");
    // an invalid index: CREATE UNIQUE INDEX CONCURRENTLY over duplicates fails half-way
    exec("CREATE TABLE inspect_dups (v int)", "INSERT INTO inspect_dups VALUES (1), (1)");
    try {
      exec("CREATE UNIQUE INDEX CONCURRENTLY inspect_dups_v_key ON inspect_dups (v)");
    } catch (SQLException expected) {
      assertThat(expected.getMessage()).contains("could not create unique index");
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      for (int i = 0; i < 60; i++) {
        st.execute("SELECT count(*) FROM inspect_scanned WHERE v = 1");
      }
      result = Inspector.inspect(c, Inspector.Options.defaults());
    }
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void exactDuplicatesKeepTheConstraintOrOlderIndex() {
    assertThat(objects(Checks.DUPLICATE))
        .containsExactlyInAnyOrder(
            "public.messages_conv_dup_idx", "public.vouchers_code_plain_idx");
    Finding voucher = finding(Checks.DUPLICATE, "public.vouchers_code_plain_idx");
    assertThat(voucher.evidence()).containsEntry("kept", "public.vouchers_code_key");
    assertThat(voucher.fix()).isEqualTo("DROP INDEX CONCURRENTLY public.vouchers_code_plain_idx;");
  }

  @Test
  void prefixRedundantIndexesNameTheIndexThatCoversThem() {
    assertThat(objects(Checks.REDUNDANT))
        .containsExactlyInAnyOrder(
            "public.messages_conv_prefix_idx", "public.conversations_business_desc_idx");
    assertThat(finding(Checks.REDUNDANT, "public.messages_conv_prefix_idx").evidence())
        .containsEntry("covered_by", "public.messages_conversation_created_idx");
  }

  @Test
  void foreignKeyWithoutALeadingIndexIsReportedWithTheIndexToCreate() {
    // the reference schema indexes every FK; only the fixture is missing one
    assertThat(objects(Checks.FK_WITHOUT_INDEX))
        .containsExactly("public.inspect_notes.inspect_notes_message_id_fkey");
    assertThat(
            finding(Checks.FK_WITHOUT_INDEX, "public.inspect_notes.inspect_notes_message_id_fkey")
                .fix())
        .isEqualTo("CREATE INDEX CONCURRENTLY ON public.inspect_notes (message_id);");
  }

  @Test
  void invalidIndexIsCritical() {
    Finding invalid = finding(Checks.INVALID, "public.inspect_dups_v_key");
    assertThat(invalid.severity()).isEqualTo(Severity.CRITICAL);
    // a unique build over duplicates fails again: the fix is in words, not SQL
    assertThat(invalid.fix()).isEmpty();
    assertThat(invalid.message()).contains("remove them, then REINDEX INDEX CONCURRENTLY");
  }

  @Test
  void unusedIndexesExcludeUniqueOnesAndTinyTables() {
    assertThat(objects(Checks.UNUSED))
        .contains("public.inspect_big_tag_idx", "public.inspect_big_ref_idx")
        .doesNotContain("public.inspect_big_pkey", "public.messages_conv_dup_idx");
  }

  @Test
  void seqScanHeavyTableIsReported() {
    Finding f = finding(Checks.SEQ_SCAN_HEAVY, "public.inspect_scanned");
    assertThat((Long) f.evidence().get("seq_scans")).isGreaterThanOrEqualTo(60);
    assertThat(objects(Checks.SEQ_SCAN_HEAVY)).containsExactly("public.inspect_scanned");
  }

  @Test
  void bloatAndNullHeavyIndexesAreEstimated() {
    Finding table = finding(Checks.TABLE_BLOAT, "public.inspect_big");
    assertThat((Double) table.evidence().get("wasted_share")).isBetween(0.6, 0.9);
    assertThat(objects(Checks.INDEX_BLOAT)).contains("public.inspect_big_pkey");
    Finding nulls = finding(Checks.NULL_HEAVY, "public.inspect_big_ref_idx");
    assertThat((Double) nulls.evidence().get("null_fraction")).isBetween(0.7, 0.8);
    assertThat(nulls.fix())
        .isEqualTo(
            "CREATE INDEX CONCURRENTLY ON public.inspect_big (ref) WHERE ref IS NOT NULL;\n"
                + "DROP INDEX CONCURRENTLY public.inspect_big_ref_idx;");
  }

  @Test
  void everyRuleRanAndIndexesAreListedWithSizeAndScans() {
    assertThat(result.problems()).isEmpty();
    assertThat(result.checks()).allMatch(cr -> cr.status() == CheckRun.Status.RAN);
    InspectResult.IndexRow ref =
        result.indexes().stream()
            .filter(row -> row.index().equals("inspect_big_ref_idx"))
            .findFirst()
            .orElseThrow();
    assertThat(ref.sizeBytes()).isGreaterThan(1 << 20);
    assertThat(ref.scans()).isZero();
  }

  @Test
  void printsReadableTablesAndSerialises() {
    StringWriter text = new StringWriter();
    InspectPrinter.print(result, new PrintWriter(text), false);
    assertThat(text.toString())
        .contains("duplicate-index", "messages_conv_dup_idx", "fix: DROP INDEX CONCURRENTLY")
        .contains("cache hit ratios");
    String json = Json.write(result);
    assertThat(json).contains("\"check\" : \"fk-without-index\"", "\"sizeBytes\"");
  }

  @Test
  void usageDeltaNamesTheIndexesARunScanned() throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      StatsSnapshot before = StatsSnapshot.take(c);
      st.execute("SET enable_seqscan = off");
      st.execute("SELECT * FROM inspect_big WHERE note_id = 500");
      InspectResult after = Inspector.inspect(c, new Inspector.Options(List.of(), before));
      StatsDelta window = after.window();
      assertThat(window.valid()).isTrue();
      assertThat(window.used())
          .extracting(StatsDelta.IndexUse::index)
          .contains("inspect_big_note_idx");
      assertThat(window.unused())
          .extracting(StatsDelta.IndexUse::index)
          .contains("inspect_big_tag_idx");
      assertThat(after.statsReset()).isEqualTo(before.statsReset());
    }
  }

  @Test
  void everyFixRunsOnACopyAndKeepsACopyOfEveryIndex() throws SQLException {
    ConnectionSpec copy = FixesOnACopy.apply(db, result);
    try {
      for (Finding f : result.findings()) {
        for (String key : List.of("kept", "covered_by")) {
          if (f.evidence().get(key) instanceof String kept) {
            FixesOnACopy.assertIndexExists(copy, kept);
          }
        }
      }
    } finally {
      TestDatabases.dropDatabase(TestDatabases.embedded().spec(), copy.database());
    }
  }

  @Test
  void bulkLoadedTablesAreLeftOutOfTheHitRatios() {
    // inspect_big, inspect_loaded and inspect_dups were loaded and hardly scanned since
    assertThat(result.check(Checks.CACHE_HIT).note())
        .startsWith("3 tables left out: loaded since the reset and scanned fewer than 50 times");
    assertThat(result.check(Checks.INDEX_HIT).note()).startsWith("3 tables left out");
    // and their indexes, never scanned, are not called droppable: nothing has read them yet
    Finding loaded = finding(Checks.UNUSED, "public.inspect_loaded_v_idx");
    assertThat(loaded.severity()).isEqualTo(Severity.INFO);
    assertThat(loaded.fix()).isEmpty();
    assertThat(loaded.message()).contains("a bulk load");
  }

  private static List<String> objects(String check) {
    return result.findings(check).stream().map(Finding::object).toList();
  }

  private static Finding finding(String check, String object) {
    return result.findings(check).stream()
        .filter(f -> f.object().equals(object))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(check + " " + object + " not in " + result.findings()));
  }

  private static void exec(String... sqls) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      for (String sql : sqls) {
        st.execute(sql);
      }
    }
  }
}

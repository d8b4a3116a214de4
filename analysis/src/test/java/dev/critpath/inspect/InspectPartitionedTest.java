package dev.critpath.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * inspect on a schema nobody here wrote: a range-partitioned table with duplicate, unused and
 * mostly-NULL indexes on the parent, a foreign key of another type than its target, a json column,
 * a NOT VALID constraint, sequences near overflow (serial and identity), a table without a primary
 * key. Every fix it prints is then run on a copy of the database.
 */
class InspectPartitionedTest {
  private static final int ROWS = 120_000;

  private static Database db;
  private static InspectResult result;

  @BeforeAll
  static void setUp() throws SQLException {
    db = TestDatabases.empty("inspect_parts");
    result = build(db);
  }

  /** Loads the fixture into {@code target}, uses the NULL-heavy index, inspects. */
  private static InspectResult build(Database target) throws SQLException {
    exec(
        target,
        "CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL)",
        "INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 1000) g",
        "ALTER TABLE accounts ADD CONSTRAINT accounts_name_check CHECK (name <> '') NOT VALID",
        // bigint referencing int: accepted by PostgreSQL, converted on every check
        "CREATE TABLE events (id bigint NOT NULL, account_id bigint REFERENCES accounts (id),"
            + " at date NOT NULL, ref int, payload json, PRIMARY KEY (id, at))"
            + " PARTITION BY RANGE (at)",
        "CREATE TABLE events_2024 PARTITION OF events"
            + " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        "CREATE TABLE events_2025 PARTITION OF events"
            + " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "INSERT INTO events SELECT g, 1 + g % 1000, date '2024-01-01' + g % 700,"
            + " CASE WHEN g % 10 = 0 THEN g END, '{\"k\": 1}'"
            + " FROM generate_series(1, "
            + ROWS
            + ") g",
        "CREATE INDEX events_at_idx ON events (at)",
        "CREATE INDEX events_at_copy_idx ON events (at)",
        // without deduplication, which would fold the NULL entries into a few posting lists
        "CREATE INDEX events_ref_idx ON events (ref) WITH (deduplicate_items = off)",
        "ANALYZE events",
        "CREATE TABLE tickets (id serial PRIMARY KEY, note text)",
        "SELECT setval('tickets_id_seq', 2147000000)",
        "CREATE TABLE tokens (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY)",
        "SELECT setval(pg_get_serial_sequence('tokens', 'id'), 2100000000)",
        "CREATE TABLE audit_log (at timestamptz, what text)",
        // btree deduplication: 10 keys in 400k rows make a small index; emptied by 80%, it is
        // mostly free space, although a size model without posting lists expects it that big
        "CREATE TABLE readings (id int PRIMARY KEY, sensor int NOT NULL)",
        "INSERT INTO readings SELECT g, g % 10 FROM generate_series(1, 400000) g",
        "CREATE INDEX readings_sensor_idx ON readings (sensor)",
        "CREATE TABLE readings_kept (id int PRIMARY KEY, sensor int NOT NULL)",
        "INSERT INTO readings_kept SELECT g, g % 10 FROM generate_series(1, 400000) g",
        "CREATE INDEX readings_kept_sensor_idx ON readings_kept (sensor)",
        "DELETE FROM readings WHERE id % 5 <> 0",
        "VACUUM ANALYZE readings",
        "ANALYZE readings_kept");
    try (Connection c = target.connect();
        Statement st = c.createStatement()) {
      // the NULL-heavy index is in use (so it is replaced, not dropped): 2 partitions per query
      st.execute("SET enable_seqscan = off");
      for (int i = 0; i < Checks.RARELY_USED_SCANS; i++) {
        st.execute("SELECT count(*) FROM events WHERE ref = " + (i * 10));
      }
      // this backend's counters reach the shared statistics before it goes
      StatsSnapshot.flush(c);
    }
    try (Connection c = target.connect()) {
      return Inspector.inspect(c, Inspector.Options.defaults());
    }
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void findingsNameThePartitionedIndexesNeverThePartitions() {
    assertThat(result.problems()).isEmpty();
    assertThat(result.findings())
        .extracting(Finding::object)
        .noneMatch(o -> o.contains("events_2024") || o.contains("events_2025"));
    assertThat(result.indexes())
        .extracting(InspectResult.IndexRow::index)
        .contains("events_at_idx", "events_ref_idx")
        .noneMatch(i -> i.startsWith("events_2024") || i.startsWith("events_2025"));
    InspectResult.IndexRow ref = row("events_ref_idx");
    // the partitions' sizes and scans, summed
    assertThat(ref.sizeBytes()).isGreaterThan(Checks.MIN_RELATION_BYTES);
    assertThat(ref.scans()).isGreaterThanOrEqualTo(Checks.RARELY_USED_SCANS);
  }

  @Test
  void duplicateOnTheParentIsDroppedWithoutConcurrently() {
    Finding dup = finding(Checks.DUPLICATE, "public.events_at_copy_idx");
    assertThat(dup.fix()).isEqualTo("DROP INDEX public.events_at_copy_idx;");
    // the copy the duplicate rule keeps is unused too, but gets no DROP: one copy stays
    Finding kept = finding(Checks.UNUSED, "public.events_at_idx");
    assertThat(kept.fix()).isEmpty();
    assertThat(kept.evidence()).containsEntry("kept_in_place_of", "public.events_at_copy_idx");
    assertThat(result.findings(Checks.UNUSED))
        .extracting(Finding::object)
        .doesNotContain("public.events_at_copy_idx");
  }

  @Test
  void indexFixOnAPartitionedTableIsOnOnlyThenEachPartitionConcurrentlyThenAttach() {
    Finding fk = finding(Checks.FK_WITHOUT_INDEX, "public.events.events_account_id_fkey");
    assertThat(fk.fix())
        .isEqualTo(
            String.join(
                "\n",
                "CREATE INDEX events_account_id_idx ON ONLY public.events (account_id);",
                "CREATE INDEX CONCURRENTLY events_2024_account_id_idx ON public.events_2024"
                    + " (account_id);",
                "ALTER INDEX public.events_account_id_idx ATTACH PARTITION"
                    + " public.events_2024_account_id_idx;",
                "CREATE INDEX CONCURRENTLY events_2025_account_id_idx ON public.events_2025"
                    + " (account_id);",
                "ALTER INDEX public.events_account_id_idx ATTACH PARTITION"
                    + " public.events_2025_account_id_idx;"));
    Finding nulls = finding(Checks.NULL_HEAVY, "public.events_ref_idx");
    assertThat((Double) nulls.evidence().get("null_fraction")).isBetween(0.85, 0.95);
    assertThat(nulls.fix())
        .startsWith("CREATE INDEX events_ref_partial_idx ON ONLY public.events (ref) WHERE ref IS")
        .endsWith("\nDROP INDEX public.events_ref_idx;");
  }

  @Test
  void bloatEstimateCountsBtreeDeduplication() {
    Finding bloated = finding(Checks.INDEX_BLOAT, "public.readings_sensor_idx");
    assertThat((Double) bloated.evidence().get("wasted_share")).isGreaterThan(0.6);
    assertThat(objects(Checks.INDEX_BLOAT)).doesNotContain("public.readings_kept_sensor_idx");
  }

  @Test
  void schemaChecksFromPgIndexHealth() {
    assertThat(objects(Checks.NO_PRIMARY_KEY)).containsExactly("public.audit_log");
    assertThat(objects(Checks.FK_TYPE_MISMATCH))
        .containsExactly("public.events.events_account_id_fkey");
    assertThat(finding(Checks.FK_TYPE_MISMATCH, "public.events.events_account_id_fkey").fix())
        .isEqualTo("ALTER TABLE public.events ALTER COLUMN account_id TYPE integer;");
    assertThat(objects(Checks.JSON_COLUMN)).containsExactly("public.events.payload");
    assertThat(objects(Checks.NOT_VALID)).containsExactly("public.accounts.accounts_name_check");
    Finding serial = finding(Checks.SEQUENCE_OVERFLOW, "public.tickets_id_seq");
    assertThat(serial.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(serial.fix())
        .isEqualTo(
            "ALTER TABLE public.tickets ALTER COLUMN id TYPE bigint;\n"
                + "ALTER SEQUENCE public.tickets_id_seq AS bigint;");
    Finding identity = finding(Checks.SEQUENCE_OVERFLOW, "public.tokens_id_seq");
    assertThat(identity.severity()).isEqualTo(Severity.WARN);
    assertThat(identity.fix()).isEqualTo("ALTER TABLE public.tokens ALTER COLUMN id TYPE bigint;");
    for (String check : SchemaChecks.names()) {
      assertThat(result.check(check).status()).isEqualTo(CheckRun.Status.RAN);
    }
  }

  @Test
  void everyFixRunsOnACopyAndTheCopyIsClean() throws SQLException {
    assertThat(FixesOnACopy.statements(result)).hasSizeGreaterThan(10);
    ConnectionSpec copy = FixesOnACopy.apply(db, result);
    try (Connection c = DriverManager.getConnection(copy.jdbcUrl(), copy.credentials())) {
      FixesOnACopy.assertIndexExists(copy, "public.events_at_idx");
      FixesOnACopy.assertIndexExists(copy, "public.events_ref_partial_idx");
      InspectResult after = Inspector.inspect(c, Inspector.Options.defaults());
      for (String fixed :
          List.of(
              Checks.DUPLICATE,
              Checks.FK_WITHOUT_INDEX,
              Checks.NULL_HEAVY,
              Checks.FK_TYPE_MISMATCH,
              Checks.JSON_COLUMN,
              Checks.NOT_VALID,
              Checks.SEQUENCE_OVERFLOW)) {
        assertThat(after.findings(fixed)).as(fixed + " after its fixes").isEmpty();
      }
      // the identity column's sequence followed its column to bigint
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT seqtypid::regtype::text FROM pg_sequence"
                      + " WHERE seqrelid = pg_get_serial_sequence('tokens', 'id')::regclass")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("bigint");
      }
    } finally {
      TestDatabases.dropDatabase(TestDatabases.embedded().spec(), copy.database());
    }
  }

  @Test
  void everyFixRunsOnPostgres15Too() throws SQLException {
    ConnectionSpec local = LocalServer.require();
    String name = TestDatabases.uniqueName("inspect_parts_pg15");
    ConnectionSpec spec = TestDatabases.createDatabase(local, name);
    ConnectionSpec copy = null;
    try (Database pg15 = TestDatabases.open(spec)) {
      InspectResult r = build(pg15);
      assertThat(r.serverVersion()).startsWith("15");
      assertThat(r.findings(Checks.FK_WITHOUT_INDEX))
          .extracting(Finding::fix)
          .anyMatch(fix -> fix.contains("ON ONLY public.events"));
      copy = FixesOnACopy.apply(pg15, r, local);
    } finally {
      if (copy != null) {
        TestDatabases.dropDatabase(local, copy.database());
      }
      TestDatabases.dropDatabase(local, name);
    }
  }

  private static InspectResult.IndexRow row(String index) {
    return result.indexes().stream().filter(r -> r.index().equals(index)).findFirst().orElseThrow();
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

  private static void exec(Database target, String... sqls) throws SQLException {
    try (Connection c = target.connect();
        Statement st = c.createStatement()) {
      for (String sql : sqls) {
        st.execute(sql);
      }
    }
  }
}

package dev.critpath.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.schema.Migrator;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** inspect where it is hard: a role without statistics, PostgreSQL 15, thousands of indexes. */
class InspectLimitsTest {

  @Test
  void roleThatCannotReadStatisticsGetsTheFixAndTheStructuralRules() throws SQLException {
    String role = "inspect_limited_" + UUID.randomUUID().toString().substring(0, 8);
    String password = UUID.randomUUID().toString();
    try (Database db = TestDatabases.migrated("inspect_limited")) {
      TestDatabases.exec(
          db.spec(),
          String.join(
              ";",
              "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'",
              "CREATE INDEX messages_conv_dup_idx ON messages (conversation_id, created_at DESC)",
              // the views are per database: this revokes them here only
              "REVOKE SELECT ON pg_catalog.pg_stat_user_indexes, pg_catalog.pg_statio_user_indexes,"
                  + " pg_catalog.pg_stat_user_tables, pg_catalog.pg_statio_user_tables FROM PUBLIC"));
      try {
        ConnectionSpec spec = db.spec();
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", password);
        InspectResult r;
        try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), props)) {
          r = Inspector.inspect(c, Inspector.Options.defaults());
        }
        assertThat(r.problems())
            .anySatisfy(
                p ->
                    assertThat(p)
                        .contains(
                            "cannot read pg_catalog.pg_stat_user_indexes",
                            "permission denied",
                            "fix: GRANT SELECT ON pg_catalog.pg_stat_user_indexes TO " + role));
        assertThat(r.check(Checks.UNUSED).status()).isEqualTo(CheckRun.Status.SKIPPED);
        assertThat(r.check(Checks.UNUSED).note()).contains("permission denied");
        assertThat(r.check(Checks.SEQ_SCAN_HEAVY).status()).isEqualTo(CheckRun.Status.SKIPPED);
        assertThat(r.check(Checks.CACHE_HIT).status()).isEqualTo(CheckRun.Status.SKIPPED);
        // what the catalogs alone tell is still reported
        assertThat(r.check(Checks.DUPLICATE).status()).isEqualTo(CheckRun.Status.RAN);
        assertThat(r.findings(Checks.DUPLICATE))
            .extracting(Finding::object)
            .containsExactly("public.messages_conv_dup_idx");
        assertThat(r.indexes()).isNotEmpty().allMatch(row -> row.scans() == null);
      } finally {
        TestDatabases.dropDatabase(TestDatabases.embedded().spec(), db.spec().database());
        TestDatabases.exec(TestDatabases.embedded().spec(), "DROP ROLE " + role);
      }
    }
  }

  @Test
  void worksOnTheLocalPostgres15() throws SQLException {
    ConnectionSpec local = LocalServer.require();
    String name = TestDatabases.uniqueName("inspect_pg15");
    ConnectionSpec spec = TestDatabases.createDatabase(local, name);
    try (Database db = TestDatabases.open(spec)) {
      Migrator.migrate(db, null, false);
      TestDatabases.exec(
          spec,
          "CREATE INDEX messages_conv_dup_idx ON messages (conversation_id, created_at DESC);"
              + "CREATE TABLE inspect_notes (id int PRIMARY KEY, message_id uuid REFERENCES"
              + " messages (id))");
      InspectResult r;
      try (Connection c = db.connect()) {
        r = Inspector.inspect(c, Inspector.Options.defaults());
      }
      assertThat(r.serverVersion()).startsWith("15");
      assertThat(r.problems()).isEmpty();
      assertThat(r.checks()).allMatch(cr -> cr.status() == CheckRun.Status.RAN);
      assertThat(r.findings(Checks.DUPLICATE))
          .extracting(Finding::object)
          .containsExactly("public.messages_conv_dup_idx");
      assertThat(r.findings(Checks.FK_WITHOUT_INDEX))
          .extracting(Finding::object)
          .containsExactly("public.inspect_notes.inspect_notes_message_id_fkey");
      // PG15 has no last_idx_scan: counters are read all the same
      assertThat(r.indexes()).allMatch(row -> row.scans() != null && row.lastScan() == null);
    } finally {
      TestDatabases.dropDatabase(local, name);
    }
  }

  @Test
  void thousandsOfIndexesStayFast() throws SQLException {
    int tables = 250;
    try (Database db = TestDatabases.migrated("inspect_many");
        Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN FOR t IN 1.."
              + tables
              + " LOOP"
              + " EXECUTE format('CREATE TABLE many_%1$s (a int, b int, c int, d int);"
              + "  CREATE INDEX many_%1$s_a ON many_%1$s (a); CREATE INDEX many_%1$s_ab ON many_%1$s (a, b);"
              + "  CREATE INDEX many_%1$s_b ON many_%1$s (b); CREATE INDEX many_%1$s_c ON many_%1$s (c);"
              + "  CREATE INDEX many_%1$s_d ON many_%1$s (d); CREATE INDEX many_%1$s_cd ON many_%1$s (c, d);"
              + "  CREATE INDEX many_%1$s_dc ON many_%1$s (d, c); CREATE INDEX many_%1$s_bd ON many_%1$s (b, d)', t);"
              + " END LOOP; END $$");
      Instant start = Instant.now();
      InspectResult r = Inspector.inspect(c, Inspector.Options.defaults());
      Duration took = Duration.between(start, Instant.now());
      assertThat(r.indexes()).hasSizeGreaterThan(tables * 8);
      // per table: (a) under (a, b), (b) under (b, d), (c) under (c, d), (d) under (d, c)
      assertThat(r.findings(Checks.REDUNDANT)).hasSize(tables * 4);
      assertThat(took).isLessThan(Duration.ofSeconds(20));
      System.out.printf("inspect of %d indexes took %d ms%n", r.indexes().size(), took.toMillis());
    }
  }
}

package dev.critpath.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.critpath.UserError;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.db.Pooler;
import dev.critpath.testkit.PgBouncer;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigratorTest {

  @Test
  void migratesEmptyDatabaseOnceThenAppliesNothing() throws SQLException {
    try (Database db = TestDatabases.empty("migrate_twice")) {
      Migrator.Result first = Migrator.migrate(db, null, false);
      Migrator.Result second = Migrator.migrate(db, null, false);
      assertThat(first.applied()).isGreaterThanOrEqualTo(4);
      assertThat(second.applied()).isZero();
      assertThat(second.version()).isEqualTo(first.version());
      try (Connection c = db.connect()) {
        assertThat(DatabaseMarker.read(c)).isEqualTo(DatabaseMarker.State.MARKED);
        assertThat(
                count(
                    c,
                    "SELECT count(*) FROM pg_extension WHERE extname IN ('pg_trgm', 'pg_stat_statements')"))
            .isEqualTo(2);
      }
    }
  }

  @Test
  void migratesTheLocalPostgres15TwiceWhenPresent() {
    ConnectionSpec local = TestDatabases.localServer();
    assumeTrue(local != null, "no PostgreSQL at 127.0.0.1:5432 (set CRITPATH_TEST_LOCAL_URL)");
    String name = TestDatabases.uniqueName("local_migrate");
    ConnectionSpec spec = TestDatabases.createDatabase(local, name);
    try (Database db = TestDatabases.open(spec)) {
      assertThat(Migrator.migrate(db, null, false).applied()).isGreaterThanOrEqualTo(4);
      assertThat(Migrator.migrate(db, null, false).applied()).isZero();
    } finally {
      TestDatabases.dropDatabase(local, name);
    }
  }

  @Test
  void migratingThroughATransactionPoolerLeavesNoSessionStateOnItsBackends() throws SQLException {
    try (Database direct = TestDatabases.empty("migrate_pooled");
        PgBouncer bouncer = PgBouncer.start(direct.spec(), "transaction", 4, Map.of());
        Database pooled = TestDatabases.open(bouncer.front(direct.spec()))) {
      assertThat(pooled.pooler().mode()).isEqualTo(Pooler.Mode.TRANSACTION);
      assertThat(Migrator.migrate(pooled, null, false).applied()).isGreaterThanOrEqualTo(4);
      // Flyway's search_path (critpath first) once stayed on the backend that ran the migrations
      assertThat(bouncer.sessionOfEveryBackend(direct.spec()))
          .containsOnly(PgBouncer.freshSession(direct.spec()));
    }
  }

  @Test
  void refusesDatabaseWithForeignTablesUnlessAllowed() throws SQLException {
    try (Database db = TestDatabases.empty("unmarked")) {
      TestDatabases.exec(db.spec(), "CREATE TABLE public.orders (id int primary key)");
      assertThatThrownBy(() -> Migrator.migrate(db, null, false))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("refusing to migrate")
          .hasMessageContaining("no critpath marker")
          .hasMessageContaining("--allow-unmarked");
      try (Connection c = db.connect()) {
        assertThat(count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'critpath'"))
            .as("nothing written after refusal")
            .isZero();
      }
      assertThat(Migrator.migrate(db, null, true).applied()).isGreaterThanOrEqualTo(4);
    }
  }

  /**
   * Someone's database whose own {@code businesses} table makes the second migration fail after the
   * first (which writes the marker) ran: nothing of the migration may stay, above all no marker, or
   * that foreign database would be accepted without --allow-unmarked from then on.
   */
  @Test
  void aFailedMigrationOfAnUnmarkedDatabaseLeavesNoMarkerAndNoSchema() throws SQLException {
    try (Database db = TestDatabases.empty("half_migrated")) {
      TestDatabases.exec(db.spec(), "CREATE TABLE public.businesses (their_id int primary key)");
      assertThatThrownBy(() -> Migrator.migrate(db, null, true))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("migration failed")
          .hasMessageContaining("businesses");
      try (Connection c = db.connect()) {
        assertThat(DatabaseMarker.read(c)).isEqualTo(DatabaseMarker.State.UNMARKED);
        assertThat(count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'critpath'"))
            .isZero();
        assertThat(
                count(
                    c,
                    "SELECT count(*) FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
                        + " WHERE n.nspname = 'public' AND k.relkind = 'r'"))
            .as("only their own table")
            .isEqualTo(1);
      }
      assertThatThrownBy(() -> Migrator.migrate(db, null, false))
          .as("the guard is still armed")
          .hasMessageContaining("refusing to migrate");
    }
  }

  @Test
  void keepsSupabaseAuthFunctionsAndRoles() throws SQLException {
    try (Database db = TestDatabases.empty("supabase_like")) {
      // What a Supabase project already has: its own auth.uid() and API roles.
      TestDatabases.exec(
          db.spec(),
          "CREATE SCHEMA auth;"
              + " CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS"
              + " $$ SELECT '11111111-1111-1111-1111-111111111111'::uuid $$;"
              + " DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')"
              + " THEN CREATE ROLE anon NOLOGIN; END IF; END $$;");
      Migrator.migrate(db, null, false);
      try (Connection c = db.connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT auth.uid()::text")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("11111111-1111-1111-1111-111111111111");
      }
    }
  }

  @Test
  void namesMissingCreatePermission() {
    try (Database owner = TestDatabases.empty("no_create")) {
      String role = TestDatabases.uniqueName("reader");
      TestDatabases.exec(
          owner.spec(),
          "CREATE ROLE "
              + role
              + " LOGIN PASSWORD 'reader-pw-1'; "
              + "REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
              + "REVOKE CREATE ON DATABASE "
              + owner.spec().database()
              + " FROM PUBLIC");
      ConnectionSpec asReader =
          new ConnectionSpec(
              owner.spec().host(),
              owner.spec().port(),
              owner.spec().database(),
              role,
              "reader-pw-1",
              Map.of());
      try (Database db = TestDatabases.open(asReader)) {
        assertThatThrownBy(() -> Migrator.migrate(db, null, false))
            .isInstanceOf(UserError.class)
            .hasMessageContaining("no permission to create objects")
            .hasMessageContaining(role);
      }
    }
  }

  @Test
  void rejectsMissingSchemaDirectory() {
    try (Database db = TestDatabases.empty("schema_dir")) {
      assertThatThrownBy(() -> Migrator.migrate(db, java.nio.file.Path.of("/no/such/dir"), false))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("--schema /no/such/dir is not a directory");
    }
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

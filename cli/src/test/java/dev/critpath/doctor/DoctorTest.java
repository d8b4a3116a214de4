package dev.critpath.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoctorTest {

  @Test
  void migratedEmbeddedDatabaseHasEverythingRequired() throws Exception {
    try (Database db = TestDatabases.migrated("doctor_ok");
        Connection c = db.connect()) {
      List<DoctorCheck> checks = Doctor.examine(c);
      assertThat(checks).filteredOn(ch -> ch.status() == DoctorCheck.Status.FAIL).isEmpty();
      assertThat(status(checks, "pg_stat_statements preloaded")).isEqualTo(DoctorCheck.Status.OK);
      assertThat(status(checks, "pg_stat_statements.track")).isEqualTo(DoctorCheck.Status.OK);
      assertThat(status(checks, "track_io_timing")).isEqualTo(DoctorCheck.Status.OK);
      assertThat(status(checks, "critpath schema")).isEqualTo(DoctorCheck.Status.OK);
      // the embedded server has no hypopg; on a database critpath owns what-if needs none
      assertThat(find(checks, "hypopg").status()).isEqualTo(DoctorCheck.Status.OK);
      assertThat(find(checks, "hypopg").detail()).contains("builds real indexes");
    }
  }

  @Test
  void unmigratedDatabaseIsToldToMigrate() throws Exception {
    try (Database db = TestDatabases.empty("doctor_empty");
        Connection c = db.connect()) {
      List<DoctorCheck> checks = Doctor.examine(c);
      DoctorCheck schema = find(checks, "critpath schema");
      assertThat(schema.status()).isEqualTo(DoctorCheck.Status.WARN);
      assertThat(schema.fix()).isEqualTo("./run.sh migrate");
    }
  }

  @Test
  void serverWithoutPreloadedStatementsFails() throws Exception {
    ConnectionSpec local = TestDatabases.localServer();
    assumeTrue(local != null, "no PostgreSQL at 127.0.0.1:5432");
    try (Database db = TestDatabases.open(local);
        Connection c = db.connect()) {
      boolean preloaded;
      try (var st = c.createStatement();
          var rs = st.executeQuery("SHOW shared_preload_libraries")) {
        rs.next();
        preloaded = rs.getString(1).contains("pg_stat_statements");
      }
      List<DoctorCheck> checks = Doctor.examine(c);
      // The doctor must tell the truth whichever way the local server is configured.
      assertThat(status(checks, "pg_stat_statements preloaded"))
          .isEqualTo(preloaded ? DoctorCheck.Status.OK : DoctorCheck.Status.FAIL);
      if (!preloaded) {
        assertThat(find(checks, "pg_stat_statements preloaded").fix())
            .contains("shared_preload_libraries");
      }
    }
  }

  @Test
  void walLevelSaysWhetherTheRealtimeRelayCanRun() throws Exception {
    try (Database db = TestDatabases.empty("doctor_wal");
        Connection c = db.connect()) {
      assertThat(status(Doctor.examine(c), "wal_level")).isEqualTo(DoctorCheck.Status.OK);
    }
    ConnectionSpec local = TestDatabases.localServer();
    assumeTrue(local != null, "no PostgreSQL at 127.0.0.1:5432");
    try (Database db = TestDatabases.open(local);
        Connection c = db.connect()) {
      String level;
      try (var st = c.createStatement();
          var rs = st.executeQuery("SHOW wal_level")) {
        rs.next();
        level = rs.getString(1);
      }
      DoctorCheck check = find(Doctor.examine(c), "wal_level");
      assertThat(check.status())
          .isEqualTo("logical".equals(level) ? DoctorCheck.Status.OK : DoctorCheck.Status.WARN);
      if (!"logical".equals(level)) {
        assertThat(check.fix())
            .isEqualTo("ALTER SYSTEM SET wal_level = logical, then restart PostgreSQL");
      }
    }
  }

  private static DoctorCheck.Status status(List<DoctorCheck> checks, String name) {
    return find(checks, name).status();
  }

  private static DoctorCheck find(List<DoctorCheck> checks, String name) {
    return checks.stream().filter(ch -> ch.name().equals(name)).findFirst().orElseThrow();
  }
}

package dev.critpath.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

  @Test
  void startsWithStatisticsPreloadedAndStopsOnClose() throws Exception {
    ConnectionSpec spec;
    Path dataDir;
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(null)) {
      spec = pg.spec();
      dataDir = pg.dataDir();
      try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.credentials());
          Statement st = c.createStatement()) {
        assertThat(single(st, "SHOW shared_preload_libraries")).contains("pg_stat_statements");
        assertThat(single(st, "SHOW pg_stat_statements.track")).isEqualTo("all");
        assertThat(single(st, "SHOW track_io_timing")).isEqualTo("on");
        assertThat(single(st, "SELECT current_database()")).isEqualTo("critpath");
        assertThat(single(st, "SHOW server_version_num")).startsWith("17");
      }
      if (EmbeddedPostgres.isRoot()) {
        // PostgreSQL refuses root: the server must run as the unprivileged user.
        assertThat(backendStatus(spec)).containsPattern("Uid:\\s+65534");
      }
    }
    assertThat(connects(spec)).as("server stopped after close").isFalse();
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void refusesTcpLoginWithoutItsPassword() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(null)) {
      ConnectionSpec noPassword =
          new ConnectionSpec(
              "127.0.0.1", pg.port(), "critpath", "postgres", null, java.util.Map.of());
      SQLException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              SQLException.class,
              () -> DriverManager.getConnection(noPassword.jdbcUrl(), noPassword.credentials()));
      assertThat(e.getMessage()).contains("password");
    }
  }

  @Test
  void restartBreaksConnectionsAndComesBackOnTheSamePort() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(null)) {
      exec(pg.spec(), "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
      Connection before = DriverManager.getConnection(pg.spec().jdbcUrl(), pg.spec().credentials());
      pg.restart(true);
      SQLException broken =
          org.junit.jupiter.api.Assertions.assertThrows(
              SQLException.class, () -> before.createStatement().executeQuery("SELECT 1"));
      assertThat(SqlState.isConnectionLoss(broken)).as(broken.getSQLState()).isTrue();
      before.close();
      try (Connection after =
              DriverManager.getConnection(pg.spec().jdbcUrl(), pg.spec().credentials());
          Statement st = after.createStatement()) {
        assertThat(single(st, "SELECT id::text FROM kept")).isEqualTo("7");
      }
    }
  }

  @Test
  void aRestartFromAThreadThatEndsKeepsTheServerUp() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(null)) {
      Thread restarter = new Thread(() -> pg.restart(true));
      restarter.start();
      restarter.join();
      // the parent-death signal follows the thread that started the server: wait past its end
      Thread.sleep(1000);
      assertThat(connects(pg.spec())).as("server up after its restarting thread ended").isTrue();
    }
  }

  @Test
  void keptDataSurvivesRestart(@TempDir Path tmp) throws Exception {
    Path kept = tmp.resolve("pgdata");
    if (EmbeddedPostgres.isRoot()) {
      // @TempDir is private to root; the server user must be able to reach its data.
      Files.setPosixFilePermissions(
          tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(kept)) {
      exec(pg.spec(), "CREATE TABLE survivor (id int); INSERT INTO survivor VALUES (42)");
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(kept);
        Connection c = DriverManager.getConnection(pg.spec().jdbcUrl(), pg.spec().credentials());
        Statement st = c.createStatement()) {
      assertThat(single(st, "SELECT id::text FROM survivor")).isEqualTo("42");
    }
    assertThat(kept.resolve("PG_VERSION")).exists();
  }

  /**
   * /proc status of a backend (a child of the postmaster, running as the same user), read while its
   * connection is open: the backend exits with it.
   */
  private static String backendStatus(ConnectionSpec spec) throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.credentials());
        Statement st = c.createStatement()) {
      long pid = Long.parseLong(single(st, "SELECT pg_backend_pid()"));
      return Files.readString(Path.of("/proc/" + pid + "/status"));
    }
  }

  private static boolean connects(ConnectionSpec spec) {
    try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.credentials())) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static void exec(ConnectionSpec spec, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.credentials());
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

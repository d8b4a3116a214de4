package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.critpath.UserError;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.supabase.TokenMinter;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay's replication slot: never left behind, a leftover named and dropped, refusals clear.
 */
class RelaySlotsTest {
  private static Database db;

  @BeforeAll
  static void database() {
    db = TestDatabases.migrated("rt_slots");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static List<String> slots() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT slot_name FROM pg_replication_slots"
                    + " WHERE database = current_database() AND slot_name LIKE 'critpath_realtime_%'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void exec(String sql) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @Test
  void aKilledRelaysSlotEndsWithItsSession() throws Exception {
    RealtimeRelay relay = RealtimeRelay.start(db.spec(), TokenMinter.randomSecret());
    try {
      String slot = String.valueOf(relay.stats().get("slot"));
      assertThat(slots()).contains(slot);
      relay.process.kill(); // kill -9: no cleanup of its own
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (slots().contains(slot) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(slots()).doesNotContain(slot);
    } finally {
      relay.close();
    }
  }

  @Test
  void aStoppedRelayDropsItsSlot() throws Exception {
    String slot;
    try (RealtimeRelay relay = RealtimeRelay.start(db.spec(), TokenMinter.randomSecret())) {
      slot = String.valueOf(relay.stats().get("slot"));
    }
    assertThat(slots()).doesNotContain(slot);
  }

  @Test
  void aLeftoverSlotIsNamedAndDropped() throws Exception {
    exec("SELECT pg_create_logical_replication_slot('critpath_realtime_leftover', 'pgoutput')");
    try (RealtimeRelay relay = RealtimeRelay.start(db.spec(), TokenMinter.randomSecret())) {
      assertThat(slots()).doesNotContain("critpath_realtime_leftover");
      assertThat(relay.notices())
          .containsExactly(
              "dropped replication slot critpath_realtime_leftover left behind by an earlier run");
    }
  }

  @Test
  void aRoleWithoutReplicationIsOneClearLine() throws Exception {
    exec(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'critpath_norepl') THEN"
            + " CREATE ROLE critpath_norepl LOGIN PASSWORD 'norepl-password' NOREPLICATION; END IF;"
            + " END $$");
    ConnectionSpec spec = db.spec();
    ConnectionSpec limited =
        new ConnectionSpec(
            spec.host(),
            spec.port(),
            spec.database(),
            "critpath_norepl",
            "norepl-password",
            Map.of());
    UserError e = assertThrows(UserError.class, () -> RealtimeRelay.start(limited, "s3cret"));
    assertThat(e.getMessage())
        .isEqualTo(
            "critpath relay: role critpath_norepl may not create replication slots (no REPLICATION"
                + " privilege): ALTER ROLE critpath_norepl WITH REPLICATION, or run critpath as a"
                + " role that has it");
  }
}

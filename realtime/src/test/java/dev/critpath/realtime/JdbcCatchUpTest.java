package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.db.RequestContext;
import dev.critpath.network.NetworkProfile;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JdbcCatchUpTest {
  @Test
  void catchUpIsOneRoundTripAndSeesWhatRlsLetsTheUserSee() throws Exception {
    try (Database db = TestDatabases.migrated("rt_catchup");
        Fixture f = Fixture.create(db, 2, 1)) {
      List<OffsetDateTime> created = new ArrayList<>();
      try (Connection c = db.connect()) {
        c.setAutoCommit(false);
        for (int i = 0; i < 5; i++) {
          RequestContext.apply(c, "authenticated", f.sender().toString());
          try (PreparedStatement ps =
              c.prepareStatement("SELECT created_at FROM send_message(?, ?)")) {
            ps.setObject(1, f.conversation(0));
            ps.setString(2, "m" + i);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              created.add(rs.getObject(1, OffsetDateTime.class));
            }
          }
          c.commit();
        }
      }
      UUID member = f.subscriber(1);
      try (ClientLink link = new ClientLink(db, NetworkProfile.LTE_4G, "test");
          JdbcCatchUp catchUp = new JdbcCatchUp(link, 1)) {
        catchUp.since(member, null, f.conversation(0), null); // warm the connection's caches
        long t0 = System.nanoTime();
        List<String> all = catchUp.since(member, null, f.conversation(0), null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(all).hasSize(5);
        long rtt = NetworkProfile.LTE_4G.rttMillis();
        assertThat(ms).isBetween(rtt, 2 * rtt - 20);
        // ">= the last seen": the last message itself comes back, dropped by id by the client
        assertThat(catchUp.since(member, null, f.conversation(0), created.get(3))).hasSize(2);
        // a user of another business sees nothing
        assertThat(catchUp.since(UUID.randomUUID(), null, f.conversation(0), null)).isEmpty();
      }
    }
  }

  @Test
  void aProfileCannotSitInFrontOfVerifyFull() {
    var spec = TestDatabases.embedded().spec().withParam("sslmode", "verify-full");
    assertThatThrownBy(
            () ->
                new ClientLink(
                    spec, java.time.Duration.ofSeconds(5), false, NetworkProfile.LTE_4G, "t"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("verify-full")
        .hasMessageContaining("sslmode=require");
  }
}

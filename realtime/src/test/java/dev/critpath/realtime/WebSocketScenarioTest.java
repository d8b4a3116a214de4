package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.network.NetworkProfile;
import dev.critpath.run.ThresholdCheck;
import dev.critpath.supabase.TokenMinter;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Supabase Realtime clients through the local Deno relay (real sockets, real PostgreSQL). */
class WebSocketScenarioTest {
  private static final long RTT = NetworkProfile.LTE_4G.rttMillis();
  private static Database db;

  @BeforeAll
  static void database() {
    db = TestDatabases.migrated("rt_ws");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static RealtimeScenarioResult run(RealtimeSettings s) {
    RealtimeReport report = RealtimeBenchmark.run(db, s, new PrintWriter(System.out, true));
    assertThat(report.scenarios()).hasSize(1);
    RealtimeScenarioResult r = report.scenarios().get(0);
    System.out.println(Json.write(r));
    return r;
  }

  @Test
  void everySubscriberGetsEveryMessageOnceAndForcedReconnectsCatchUp() {
    RealtimeScenarioResult r = run(Runs.websocket(100, 20, 6, 4, null, 3));
    assertThat(r.level()).isEqualTo("websocket");
    assertThat(r.measured()).isTrue();
    assertThat(r.errors().total()).isZero();
    assertThat(r.subscriptionSetup().count()).isEqualTo(100);
    // 4 conversations of 25 subscribers; each message goes to one conversation
    assertThat(r.messages().expectedDeliveries()).isEqualTo(25 * r.messages().sent());
    assertThat(r.messages().lost()).isZero();
    assertThat(r.messages().duplicates()).isZero();
    assertThat(r.messages().unknown()).isZero();
    assertThat(r.subscribersBehind()).isZero();
    // cut off for 1 s at 20 msg/s over 4 conversations: each misses some and fetches them
    assertThat(r.reconnects().forced()).isEqualTo(3);
    assertThat(r.reconnects().succeeded()).isEqualTo(3);
    assertThat(r.reconnects().reconnectAndCatchUp().count()).isEqualTo(3);
    assertThat(r.messages().recoveredByCatchUp()).isPositive();
    assertThat(r.delivery().count() + r.messages().recoveredByCatchUp())
        .isEqualTo(r.messages().expectedDeliveries());
    assertThat(r.relay()).containsEntry("joins", 104); // 100 + the warm-up + 3 rejoins
    assertThat(r.thresholds())
        .extracting(ThresholdCheck::metric)
        .containsExactly(
            "delivery_latency",
            "messages_lost",
            "messages_duplicated",
            "subscription_setup",
            "reconnect_and_catch_up");
  }

  @Test
  void broadcastChannelsDeliverTheSameMessages() {
    RealtimeScenarioResult r =
        run(Runs.with(Runs.websocket(20, 10, 3, 2, null, 0), RealtimeSettings.EventKind.BROADCAST));
    assertThat(r.event()).isEqualTo("broadcast");
    assertThat(r.errors().total()).isZero();
    assertThat(r.messages().lost()).isZero();
    assertThat(r.messages().duplicates()).isZero();
    assertThat(r.delivery().count()).isEqualTo(10 * r.messages().sent());
  }

  @Test
  void aRemoteEndpointOverAProfileTunnelsThroughTheProxyWithConnect() {
    String secret = TokenMinter.randomSecret();
    String anon =
        new TokenMinter(secret, "authenticated", "authenticated", Duration.ofHours(1))
            .forRole("anon");
    try (RealtimeRelay relay = RealtimeRelay.start(db.spec(), secret)) {
      RealtimeSettings s =
          Runs.with(
              Runs.websocket(5, 10, 2, 1, NetworkProfile.NR_5G, 1),
              RemoteRealtime.of(relay.websocketUrl(), anon, secret));
      RealtimeScenarioResult r = run(s);
      assertThat(r.measured()).isTrue();
      assertThat(r.errors().total()).isZero();
      assertThat(r.messages().lost()).isZero();
      assertThat(r.reconnects().succeeded()).isEqualTo(1);
      assertThat(r.platform()).isEqualTo("mobile WiFi");
      assertThat(r.subscriptionSetup().min())
          .isGreaterThanOrEqualTo(3 * NetworkProfile.NR_5G.rttMillis());
      assertThat(r.notes()).anyMatch(n -> n.startsWith("shaping proxy: "));
    }
  }

  @Test
  void on4gEveryStepPaysItsRoundTrips() {
    RealtimeScenarioResult r = run(Runs.websocket(20, 10, 4, 1, NetworkProfile.LTE_4G, 2));
    assertThat(r.network()).isEqualTo(NetworkProfile.LTE_4G);
    assertThat(r.platform()).isEqualTo("mobile 4G");
    assertThat(r.errors().total()).isZero();
    assertThat(r.messages().lost()).isZero();
    // a delivery crosses the downlink once: half the round trip at least
    assertThat(r.delivery().min()).isGreaterThanOrEqualTo(RTT / 2.0);
    // TCP handshake, HTTP upgrade, phx_join: three round trips
    assertThat(r.subscriptionSetup().min()).isGreaterThanOrEqualTo(3 * RTT);
    // the same three, then the catch-up fetch: four
    assertThat(r.reconnects().reconnectAndCatchUp().min()).isGreaterThanOrEqualTo(4 * RTT);
    assertThat(r.reconnects().reconnectAndCatchUp().max()).isLessThan(6 * RTT + 500);
    assertThat(r.thresholds())
        .filteredOn(t -> t.metric().equals("delivery_latency"))
        .extracting(ThresholdCheck::text)
        .containsExactly("p(95)<500");
  }
}

package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.network.NetworkProfile;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.ThresholdCheck;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformTest {
  @Test
  void everySeededProfileHasTheSeedsTargets() {
    assertThat(NetworkProfile.SEEDED)
        .extracting(Platform::of)
        .containsExactly(
            Platform.MOBILE_3G, Platform.MOBILE_3G, Platform.MOBILE_4G, Platform.MOBILE_WIFI);
    assertThat(Platform.of(null)).isEqualTo(Platform.WEB);
    assertThat(Platform.WEB.deliveryMs).isEqualTo(100);
    assertThat(Platform.MOBILE_4G.deliveryMs).isEqualTo(500);
    assertThat(Platform.MOBILE_3G.deliveryMs).isEqualTo(1000);
    assertThat(Platform.of(NetworkProfile.parse("custom:30/50000/20000")))
        .isEqualTo(Platform.MOBILE_WIFI);
    assertThat(Platform.of(NetworkProfile.parse("custom:600/300/100")))
        .isEqualTo(Platform.MOBILE_3G);
  }

  @Test
  void thresholdsReadLikeK6AndFailWhenNothingWasMeasured() {
    LatencySummary delivery =
        new LatencySummary(10, 1.0, 30.0, 20.0, 40.0, 80.0, 120.0, 150.0, 160.0);
    RealtimeScenarioResult.Messages clean =
        new RealtimeScenarioResult.Messages(10, 0, 0, 10, 10, 0, 0, 0, 0, 0);
    RealtimeScenarioResult.Reconnects none =
        new RealtimeScenarioResult.Reconnects(0, 0, 0, 0, 5, LatencySummary.EMPTY);
    List<ThresholdCheck> t =
        Targets.of(true, Platform.WEB, delivery, LatencySummary.EMPTY, none, clean);
    assertThat(t)
        .extracting(ThresholdCheck::text)
        .containsExactly("p(95)<100", "count==0", "count==0", "p(95)<1000");
    assertThat(t.get(0).passed()).isTrue();
    // the condition as fields too, so no reader parses "p(95)<100"
    assertThat(t.get(0))
        .extracting(
            ThresholdCheck::stat, ThresholdCheck::op, ThresholdCheck::limit, ThresholdCheck::unit)
        .containsExactly("p95", "<", 100.0, ThresholdCheck.MS);
    assertThat(t.get(0).observed()).isEqualTo(delivery.p95());
    assertThat(t.get(1).unit()).isEqualTo(ThresholdCheck.COUNT);
    assertThat(t.get(3).passed()).isFalse(); // no setup measured: a failure, not a pass
    assertThat(t.get(3).observed()).isNull();
    assertThat(t.get(3).note()).contains("nothing measured");
  }

  @Test
  void settingsRefuseWhatCannotRun() {
    assertThatThrownBy(
            () ->
                new RealtimeSettings(
                    RealtimeSettings.Level.BOTH,
                    10,
                    0,
                    Duration.ofSeconds(5),
                    1,
                    null,
                    RealtimeSettings.EventKind.POSTGRES_CHANGES,
                    0,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    null,
                    Vsn.V2))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("--rate");
    assertThat(RealtimeSettings.defaultReconnects(1000)).isEqualTo(20);
    assertThat(RealtimeSettings.defaultReconnects(5)).isEqualTo(1);
  }

  @Test
  void remoteUrlsBecomeTheRealtimeAndRestEndpoints() {
    RemoteRealtime r = RemoteRealtime.of("https://abc.supabase.co", "key-value", null);
    assertThat(r.websocketUrl()).isEqualTo("wss://abc.supabase.co/realtime/v1/websocket");
    assertThat(r.restUrl()).isEqualTo("https://abc.supabase.co/rest/v1");
    RemoteRealtime ws = RemoteRealtime.of("ws://127.0.0.1:4000/socket", "key-value", null);
    assertThat(ws.websocketUrl()).isEqualTo("ws://127.0.0.1:4000/socket");
    assertThat(ws.restUrl()).isNull();
    assertThatThrownBy(() -> RemoteRealtime.of("ftp://x", "k", null)).isInstanceOf(UserError.class);
    assertThatThrownBy(() -> RemoteRealtime.of("https://x", " ", null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("SUPABASE_ANON_KEY");
  }
}

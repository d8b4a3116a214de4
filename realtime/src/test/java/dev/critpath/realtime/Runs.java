package dev.critpath.realtime;

import dev.critpath.network.NetworkProfile;
import java.time.Duration;

/** Small settings for tests: seconds-long runs, a short drain. */
final class Runs {
  private Runs() {}

  static RealtimeSettings websocket(
      int subscribers,
      double rate,
      int seconds,
      int conversations,
      NetworkProfile network,
      int reconnects) {
    return new RealtimeSettings(
        RealtimeSettings.Level.WEBSOCKET,
        subscribers,
        rate,
        Duration.ofSeconds(seconds),
        conversations,
        network,
        RealtimeSettings.EventKind.POSTGRES_CHANGES,
        reconnects,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        null,
        Vsn.V2);
  }

  static RealtimeSettings with(RealtimeSettings s, RealtimeSettings.EventKind event) {
    return new RealtimeSettings(
        s.level(),
        s.subscribers(),
        s.ratePerSecond(),
        s.duration(),
        s.conversations(),
        s.network(),
        event,
        s.reconnects(),
        s.offline(),
        s.drain(),
        s.remote(),
        s.vsn());
  }

  static RealtimeSettings with(RealtimeSettings s, RemoteRealtime remote) {
    return new RealtimeSettings(
        s.level(),
        s.subscribers(),
        s.ratePerSecond(),
        s.duration(),
        s.conversations(),
        s.network(),
        s.event(),
        s.reconnects(),
        s.offline(),
        Duration.ofSeconds(2),
        remote,
        Vsn.V2);
  }

  static RealtimeSettings listen(int listeners, double rate, int seconds, NetworkProfile network) {
    return new RealtimeSettings(
        RealtimeSettings.Level.LISTEN,
        listeners,
        rate,
        Duration.ofSeconds(seconds),
        1,
        network,
        RealtimeSettings.EventKind.POSTGRES_CHANGES,
        0,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        null,
        Vsn.V2);
  }
}

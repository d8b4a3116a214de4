package dev.critpath.realtime;

import dev.critpath.run.LatencySummary;
import java.util.ArrayList;
import java.util.List;

/** The seeds' targets as thresholds for one scenario. */
final class Targets {
  private Targets() {}

  static List<Threshold> of(
      boolean websocket,
      Platform platform,
      LatencySummary delivery,
      LatencySummary setup,
      ScenarioResult.Reconnects reconnects,
      ScenarioResult.Messages messages) {
    List<Threshold> out = new ArrayList<>();
    out.add(
        Threshold.below(
            "delivery_latency",
            "p(95)",
            delivery,
            platform.deliveryMs,
            "seed 002: message delivery, " + platform.label));
    out.add(
        Threshold.zero("messages_lost", messages.lost(), "seed 001: message loss > 0 is critical"));
    out.add(
        Threshold.zero(
            "messages_duplicated",
            messages.duplicates(),
            "issue 9: each message arrives exactly once"));
    if (websocket) {
      out.add(
          Threshold.below(
              "subscription_setup",
              "p(95)",
              setup,
              Platform.SUBSCRIPTION_SETUP_MS,
              "seed 002: subscription setup < 1s"));
      if (reconnects.forced() + reconnects.unexpected() > 0) {
        out.add(
            Threshold.below(
                "reconnect_and_catch_up",
                "max",
                reconnects.reconnectAndCatchUp(),
                platform.reconnectMs,
                "seed 002: reconnect after disconnect, " + platform.label));
      }
    }
    return out;
  }
}

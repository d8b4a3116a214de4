package dev.critpath.realtime;

import dev.critpath.run.LatencySummary;
import dev.critpath.run.ThresholdCheck;
import java.util.ArrayList;
import java.util.List;

/** The seeds' targets as thresholds for one scenario, in k6's words: p(95)<500, count==0. */
final class Targets {
  private Targets() {}

  static List<ThresholdCheck> of(
      boolean websocket,
      Platform platform,
      LatencySummary delivery,
      LatencySummary setup,
      RealtimeScenarioResult.Reconnects reconnects,
      RealtimeScenarioResult.Messages messages) {
    List<ThresholdCheck> out = new ArrayList<>();
    out.add(
        below(
            "delivery_latency",
            "p95",
            delivery,
            platform.deliveryMs,
            "seed 002: message delivery, " + platform.label));
    out.add(zero("messages_lost", messages.lost(), "seed 001: message loss > 0 is critical"));
    out.add(
        zero(
            "messages_duplicated",
            messages.duplicates(),
            "issue 9: each message arrives exactly once"));
    if (websocket) {
      out.add(
          below(
              "subscription_setup",
              "p95",
              setup,
              Platform.SUBSCRIPTION_SETUP_MS,
              "seed 002: subscription setup < 1s"));
      if (reconnects.forced() + reconnects.unexpected() > 0) {
        out.add(
            below(
                "reconnect_and_catch_up",
                "max",
                reconnects.reconnectAndCatchUp(),
                platform.reconnectMs,
                "seed 002: reconnect after disconnect, " + platform.label));
      }
    }
    return out;
  }

  /** {@code stat} of {@code summary} below {@code limitMs}; nothing measured fails. */
  private static ThresholdCheck below(
      String metric, String stat, LatencySummary summary, double limitMs, String source) {
    boolean measured = summary.count() > 0;
    Double observed = measured ? value(summary, stat) : null;
    return new ThresholdCheck(
        metric,
        stat,
        "<",
        limitMs,
        ThresholdCheck.MS,
        k6(stat) + "<" + ThresholdCheck.number(limitMs),
        observed,
        measured && observed < limitMs,
        source,
        measured ? null : "nothing measured: fails");
  }

  private static ThresholdCheck zero(String metric, long observed, String source) {
    return new ThresholdCheck(
        metric,
        ThresholdCheck.COUNT,
        "==",
        0,
        ThresholdCheck.COUNT,
        "count==0",
        (double) observed,
        observed == 0,
        source,
        null);
  }

  /** The stat in k6's words, as the text shows it: p95 is p(95). */
  private static String k6(String stat) {
    return stat.startsWith("p") ? "p(" + stat.substring(1) + ")" : stat;
  }

  /** The value a stat names: min, p50 ... p99.9, max, mean. */
  private static double value(LatencySummary s, String stat) {
    return switch (stat) {
      case "min" -> s.min();
      case "p50" -> s.p50();
      case "p90" -> s.p90();
      case "p95" -> s.p95();
      case "p99" -> s.p99();
      case "p99.9" -> s.p999();
      case "max" -> s.max();
      case "mean" -> s.mean();
      default -> throw new IllegalArgumentException("unknown stat " + stat);
    };
  }
}

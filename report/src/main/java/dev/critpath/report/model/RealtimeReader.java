package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.run.ThresholdCheck;
import java.util.ArrayList;
import java.util.List;

/** Reads run.json's "realtime" section: {scenarios: [{level, network, delivery, ...}]}. */
final class RealtimeReader {
  /** The metric of the delivery latency target, the scenario's headline number. */
  private static final String DELIVERY = "delivery_latency";

  private RealtimeReader() {}

  static List<RealtimeScenario> read(JsonNode section) {
    List<RealtimeScenario> out = new ArrayList<>();
    for (JsonNode s : J.list(J.get(section, "scenarios"), "level")) {
      String level = J.str(s, "level");
      String network = network(J.get(s, "network"));
      boolean measured = !Boolean.FALSE.equals(J.bool(s, "measured"));
      JsonNode errors = J.get(s, "errors");
      String firstError = J.str(errors, "firstError");
      List<String> notes = new ArrayList<>(J.strings(J.get(s, "notes")));
      if (firstError != null) {
        notes.add("first error: " + firstError);
      }
      List<CheckResult> checks = thresholds(J.get(s, "thresholds"));
      if (!measured) {
        checks.add(
            new CheckResult(
                CheckResult.Kind.RUN,
                "subscribers could subscribe",
                Status.FAIL,
                null,
                firstError == null
                    ? "nobody subscribed: nothing was sent or measured"
                    : firstError));
      }
      JsonNode delivery = deliveryThreshold(J.get(s, "thresholds"));
      JsonNode messages = J.get(s, "messages");
      JsonNode reconnects = J.get(s, "reconnects");
      out.add(
          new RealtimeScenario(
              network == null ? level : level + " over " + network,
              level,
              network,
              J.str(s, "platform"),
              J.str(delivery, "text"),
              J.num(delivery, "limit"),
              J.str(s, "event"),
              J.lng(s, "subscribers"),
              J.num(s, "ratePerSecond"),
              J.num(s, "durationSeconds"),
              new RealtimeScenario.Messages(
                  J.lng(messages, "sent"),
                  J.lng(messages, "expectedDeliveries"),
                  J.lng(messages, "delivered"),
                  J.lng(messages, "lost"),
                  J.lng(messages, "duplicates"),
                  J.lng(messages, "recoveredByCatchUp")),
              summary(J.get(s, "delivery")),
              summary(J.get(s, "commit")),
              summary(J.get(s, "subscriptionSetup")),
              new RealtimeScenario.Reconnects(
                  J.lng(reconnects, "forced"),
                  J.lng(reconnects, "unexpected"),
                  J.lng(reconnects, "succeeded"),
                  J.lng(reconnects, "failed"),
                  summary(J.get(reconnects, "reconnectAndCatchUp"))),
              errorCount(errors),
              J.lng(s, "subscribersBehind"),
              measured,
              checks,
              notes));
    }
    return out;
  }

  private static JsonNode deliveryThreshold(JsonNode thresholds) {
    return J.list(thresholds, "metric").stream()
        .filter(t -> DELIVERY.equals(J.str(t, "metric")))
        .findFirst()
        .orElse(null);
  }

  /** The profile's label ("4G"), or null for none; written as an object or a name. */
  private static String network(JsonNode node) {
    if (node == null) {
      return null;
    }
    String name = node.isValueNode() ? node.asText() : J.str(node, "label", "name");
    return name == null || name.isBlank() || "none".equals(name) ? null : name;
  }

  /** A latency summary in ms; one that counted nothing reads as empty, not as zeros. */
  private static Latency summary(JsonNode node) {
    Long count = J.lng(node, "count");
    return count == null || count == 0 ? Latency.empty() : LatencyReader.latency(node);
  }

  private static Long errorCount(JsonNode errors) {
    long total = 0;
    for (String field :
        new String[] {"connectFailures", "joinFailures", "protocolErrors", "heartbeatTimeouts"}) {
      Long n = J.lng(errors, field);
      total += n == null ? 0 : n;
    }
    return total;
  }

  /** Thresholds ({@link dev.critpath.run.ThresholdCheck}): latencies in ms, or counts. */
  private static List<CheckResult> thresholds(JsonNode node) {
    List<CheckResult> out = new ArrayList<>();
    for (JsonNode t : J.list(node, "metric")) {
      Double observed = J.num(t, "observed");
      String shown =
          observed == null
              ? null
              : ThresholdCheck.COUNT.equals(J.str(t, "unit"))
                  ? Fmt.count(Math.round(observed))
                  : Fmt.ms(observed);
      String source = J.str(t, "source");
      String note = J.str(t, "note");
      out.add(
          ThresholdReader.check(
              t, shown, note == null || source == null ? source : source + " (" + note + ")"));
    }
    return out;
  }
}

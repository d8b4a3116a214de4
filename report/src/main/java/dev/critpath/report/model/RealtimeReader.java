package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads run.json's "realtime" section: {scenarios: [{level, network, delivery, ...}]}. */
final class RealtimeReader {
  /** The threshold expression of a count ("count==0"): its actual value is a count, not ms. */
  private static final String COUNT = "count";

  /** The metric of the delivery latency target, the scenario's headline number. */
  private static final String DELIVERY = "delivery_latency";

  /** "p(95)<500": the limit after the comparison, in ms. */
  private static final Pattern LIMIT = Pattern.compile("<=?\\s*([0-9.]+)\\s*$");

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
      String deliveryTarget = J.str(delivery, "expression");
      JsonNode messages = J.get(s, "messages");
      JsonNode reconnects = J.get(s, "reconnects");
      out.add(
          new RealtimeScenario(
              network == null ? level : level + " over " + network,
              level,
              network,
              J.str(s, "platform"),
              deliveryTarget,
              limitMs(deliveryTarget),
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

  private static Double limitMs(String expression) {
    Matcher m = expression == null ? null : LIMIT.matcher(expression);
    return m != null && m.find() ? Double.valueOf(m.group(1)) : null;
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

  /** [{metric, expression, actual, passed, source}]: "delivery_latency: p(95)<500". */
  private static List<CheckResult> thresholds(JsonNode node) {
    List<CheckResult> out = new ArrayList<>();
    for (JsonNode t : J.list(node, "metric")) {
      String expression = J.str(t, "expression");
      Double actual = J.num(t, "actual");
      Boolean passed = J.bool(t, "passed");
      String shown =
          actual == null
              ? null
              : expression != null && expression.startsWith(COUNT)
                  ? Fmt.count(Math.round(actual))
                  : Fmt.ms(actual);
      out.add(
          new CheckResult(
              CheckResult.Kind.THRESHOLD,
              J.str(t, "metric") + ": " + expression,
              passed == null ? Status.SKIP : passed ? Status.PASS : Status.FAIL,
              shown,
              J.str(t, "source")));
    }
    return out;
  }
}

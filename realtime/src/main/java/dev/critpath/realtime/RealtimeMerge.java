package dev.critpath.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import dev.critpath.run.ThresholdCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The realtime sections of N segment runs as one: per scenario (level and network), every
 * distribution added from the segments' {@code realtime.hlog} (percentiles by the same {@link
 * LatencySummary} the live run writes), counters summed, the seeds' targets judged again by the
 * live {@link Targets} on the merged numbers, and the added distributions written to the merged
 * log.
 */
public final class RealtimeMerge {
  private static final String DELIVERY = "delivery";
  private static final String COMMIT = "commit";
  private static final String SETUP = "subscription_setup";
  private static final String RECONNECT = "reconnect";
  private static final String[] MESSAGE_COUNTS = {
    "sent",
    "lateSends",
    "failedSends",
    "expectedDeliveries",
    "delivered",
    "lost",
    "duplicates",
    "recoveredByCatchUp",
    "catchUpOverlap",
    "unknown"
  };
  private static final String[] RECONNECT_COUNTS = {"forced", "unexpected", "succeeded", "failed"};
  private static final String[] ERROR_COUNTS = {
    "connectFailures", "joinFailures", "protocolErrors", "heartbeatTimeouts"
  };

  /**
   * One segment's realtime section.
   *
   * @param owner the segment as messages name it ("segment 2 (DIR)")
   * @param log its realtime.hlog
   */
  public record Part(int index, String owner, JsonNode section, Path log) {}

  private RealtimeMerge() {}

  /** Checks that every part ran the first part's scenarios (level, network, event). */
  public static void check(List<Part> parts) {
    String expected = settings(parts.get(0).section());
    for (Part p : parts) {
      String s = settings(p.section());
      if (!s.equals(expected)) {
        throw new UserError(
            p.owner()
                + " ran other realtime settings than segment "
                + parts.get(0).index()
                + " ("
                + s
                + " vs "
                + expected
                + "): merge segments of one realtime run");
      }
    }
  }

  /** The merged section; writes the added distributions to {@code out}. */
  public static ObjectNode merge(List<Part> parts, LatencyLog out) {
    check(parts);
    Map<LatencyTag, Span> spans = new LinkedHashMap<>();
    for (Part p : parts) {
      LatencyLog.read(
          p.log(), p.owner(), i -> spans.computeIfAbsent(i.tag(), t -> new Span()).add(i));
    }
    spans.forEach((tag, s) -> out.interval(tag, s.start, s.end, s.total));
    ArrayNode scenarios = Json.mapper().createArrayNode();
    boolean passed = true;
    boolean measured = true;
    JsonNode first = parts.get(0).section().path("scenarios");
    for (int k = 0; k < first.size(); k++) {
      List<JsonNode> same = new ArrayList<>();
      for (Part p : parts) {
        same.add(p.section().path("scenarios").get(k));
      }
      ObjectNode merged = scenario(same, parts, spans);
      passed &= merged.path("passed").asBoolean();
      measured &= merged.path("measured").asBoolean();
      scenarios.add(merged);
    }
    ObjectNode section = Json.mapper().createObjectNode();
    section.set("scenarios", scenarios);
    section.put("passed", passed);
    section.put("measured", measured);
    section.put("latencyLog", out.file().getFileName().toString());
    return section;
  }

  private static ObjectNode scenario(
      List<JsonNode> same, List<Part> parts, Map<LatencyTag, Span> spans) {
    JsonNode head = same.get(0);
    String level = head.path("level").asText();
    Map<String, String> q =
        head.path("network").isObject()
            ? Map.of("network", head.path("network").path("name").asText())
            : Map.of();
    ObjectNode m = head.deepCopy();
    m.put("subscribers", sumInt(same, "subscribers"));
    m.put(
        "ratePerSecond", same.stream().mapToDouble(s -> s.path("ratePerSecond").asDouble()).sum());
    m.put(
        "durationSeconds",
        same.stream().mapToDouble(s -> s.path("durationSeconds").asDouble()).max().orElse(0));
    m.put("conversations", sumInt(same, "conversations"));
    m.put("subscribersBehind", sumInt(same, "subscribersBehind"));
    m.put("measured", same.stream().allMatch(s -> s.path("measured").asBoolean()));
    ObjectNode messages = sums(same, "messages", MESSAGE_COUNTS);
    m.set("messages", messages);
    LatencySummary delivery = summary(spans, level, DELIVERY, q);
    LatencySummary setup = summary(spans, level, SETUP, q);
    m.set(DELIVERY, Json.mapper().valueToTree(delivery));
    m.set(COMMIT, Json.mapper().valueToTree(summary(spans, level, COMMIT, q)));
    m.set("subscriptionSetup", Json.mapper().valueToTree(setup));
    ObjectNode reconnects = sums(same, "reconnects", RECONNECT_COUNTS);
    reconnects.put(
        "offlineSeconds",
        same.stream()
            .mapToDouble(s -> s.path("reconnects").path("offlineSeconds").asDouble())
            .sum());
    LatencySummary reconnect = summary(spans, level, RECONNECT, q);
    reconnects.set("reconnectAndCatchUp", Json.mapper().valueToTree(reconnect));
    m.set("reconnects", reconnects);
    ObjectNode errors = sums(same, "errors", ERROR_COUNTS);
    same.stream()
        .map(s -> s.path("errors").path("firstError"))
        .filter(JsonNode::isTextual)
        .findFirst()
        .ifPresent(e -> errors.set("firstError", e));
    m.set("errors", errors);
    List<ThresholdCheck> thresholds =
        Targets.of(
            "websocket".equals(level),
            platform(head.path("platform").asText()),
            delivery,
            setup,
            new RealtimeScenarioResult.Reconnects(
                reconnects.path("forced").asLong(),
                reconnects.path("unexpected").asLong(),
                reconnects.path("succeeded").asLong(),
                reconnects.path("failed").asLong(),
                reconnects.path("offlineSeconds").asDouble(),
                reconnect),
            Json.mapper().convertValue(messages, RealtimeScenarioResult.Messages.class));
    m.set("thresholds", Json.mapper().valueToTree(thresholds));
    m.put(
        "passed",
        m.path("measured").asBoolean() && thresholds.stream().allMatch(ThresholdCheck::passed));
    // each segment's notes and relay counters stay its own: they describe its relay and sender
    ArrayNode notes = m.putArray("notes");
    ArrayNode relays = Json.mapper().createArrayNode();
    for (int i = 0; i < same.size(); i++) {
      String prefix = "segment " + parts.get(i).index() + ": ";
      same.get(i).path("notes").forEach(n -> notes.add(prefix + n.asText()));
      if (same.get(i).path("relay").isObject()) {
        relays.add(same.get(i).path("relay"));
      }
    }
    m.remove("relay");
    if (!relays.isEmpty()) {
      m.putObject("relay").set("segments", relays);
    }
    return m;
  }

  /** What segments must share: each scenario's level, network and event, in order. */
  private static String settings(JsonNode section) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : section.path("scenarios")) {
      out.add(
          s.path("level").asText()
              + " "
              + s.path("network").path("name").asText("no network")
              + " "
              + s.path("event").asText());
    }
    return String.join(", ", out);
  }

  private static Platform platform(String label) {
    for (Platform p : Platform.values()) {
      if (p.label.equals(label)) {
        return p;
      }
    }
    throw new UserError("realtime platform '" + label + "' is not one critpath knows: re-run");
  }

  private static LatencySummary summary(
      Map<LatencyTag, Span> spans, String level, String metric, Map<String, String> q) {
    Span s = spans.get(LatencyTag.of(Section.REALTIME, level, metric, q));
    return s == null ? LatencySummary.EMPTY : LatencySummary.of(s.total);
  }

  private static int sumInt(List<JsonNode> same, String field) {
    return same.stream().mapToInt(s -> s.path(field).asInt()).sum();
  }

  private static ObjectNode sums(List<JsonNode> same, String object, String[] fields) {
    ObjectNode out = Json.mapper().createObjectNode();
    for (String f : fields) {
      out.put(f, same.stream().mapToLong(s -> s.path(object).path(f).asLong()).sum());
    }
    return out;
  }

  /** One tag's intervals added, from the earliest start to the latest end. */
  private static final class Span {
    final Histogram total = LatencyLog.histogram();
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;

    void add(LatencyLog.Interval i) {
      total.add(i.histogram());
      start = Math.min(start, i.startMillis());
      end = Math.max(end, i.endMillis());
    }
  }
}

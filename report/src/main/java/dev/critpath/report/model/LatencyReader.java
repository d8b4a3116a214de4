package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads latency objects in milliseconds, as every section writes them. */
final class LatencyReader {
  private LatencyReader() {}

  /**
   * A latency object in milliseconds: the http and realtime sections' {@link
   * dev.critpath.run.LatencySummary} (count, min, mean, p50 ... p999, max), or the bench section's
   * JMH latency (samples, mean, error, p50 ... "p99.9", max, optional histogram).
   */
  static Latency latency(JsonNode node) {
    if (node == null || !node.isObject()) {
      return Latency.empty();
    }
    return new Latency(
        J.num(node, "p50"),
        J.num(node, "p90"),
        J.num(node, "p95"),
        J.num(node, "p99"),
        J.num(node, "p999", "p99.9"),
        J.num(node, "max"),
        J.num(node, "mean"),
        J.num(node, "error"),
        J.lng(node, "samples", "count"),
        histogram(J.get(node, "histogram")));
  }

  /** [{"upToMs": x, "count": n}, ...], ascending. */
  private static List<Latency.Bucket> histogram(JsonNode node) {
    List<Latency.Bucket> out = new ArrayList<>();
    for (JsonNode b : J.list(node, "upToMs")) {
      Double upTo = J.num(b, "upToMs");
      Long count = J.lng(b, "count");
      if (upTo != null && count != null) {
        out.add(new Latency.Bucket(upTo, count));
      }
    }
    out.sort(Comparator.comparingDouble(Latency.Bucket::upToMs));
    return out;
  }

  static Latency withHistogram(Latency l, List<Latency.Bucket> histogram) {
    return new Latency(
        l.p50(),
        l.p90(),
        l.p95(),
        l.p99(),
        l.p999(),
        l.max(),
        l.mean(),
        l.error(),
        l.samples(),
        histogram);
  }
}

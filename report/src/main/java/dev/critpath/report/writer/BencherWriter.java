package dev.critpath.report.writer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import dev.critpath.report.model.RunView;

/**
 * Bencher Metric Format JSON, for {@code bencher run --adapter json --file bencher.json}: one
 * benchmark per query, variant and thread count, each with its measures. Latencies go in
 * nanoseconds (the unit of Bencher's built-in {@code latency} measure), throughput in operations
 * per second (its {@code throughput} measure); a confidence interval becomes the lower and upper
 * values.
 */
final class BencherWriter implements ReportWriter {
  private static final double NANOS_PER_MS = 1_000_000.0;

  @Override
  public ReportFormat format() {
    return ReportFormat.BENCHER;
  }

  @Override
  public String render(RunView run) {
    ObjectNode root = Json.mapper().createObjectNode();
    for (TrackerMetrics.Point p : TrackerMetrics.of(run)) {
      double scale = p.measure().biggerIsBetter ? 1 : NANOS_PER_MS;
      ObjectNode benchmark =
          root.has(p.benchmark())
              ? (ObjectNode) root.get(p.benchmark())
              : root.putObject(p.benchmark());
      ObjectNode metric = benchmark.putObject(p.measure().slug);
      metric.put("value", p.valueMs() * scale);
      if (p.error() != null) {
        metric.put("lower_value", Math.max(0, (p.valueMs() - p.error()) * scale));
        metric.put("upper_value", (p.valueMs() + p.error()) * scale);
      }
    }
    return Json.write(root) + "\n";
  }
}

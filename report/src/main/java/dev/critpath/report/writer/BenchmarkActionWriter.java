package dev.critpath.report.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import dev.critpath.report.model.RunView;
import java.util.Locale;

/**
 * github-action-benchmark's custom JSON: an array of {@code {name, unit, value, range}}. The action
 * reads a whole file with one direction, so latencies go to the file for its {@code
 * customSmallerIsBetter} tool and throughput to the one for {@code customBiggerIsBetter}. Every
 * name is unique in its file: the action matches a run's entries to the previous run's by name.
 */
final class BenchmarkActionWriter implements ReportWriter {
  private final boolean biggerIsBetter;

  BenchmarkActionWriter(boolean biggerIsBetter) {
    this.biggerIsBetter = biggerIsBetter;
  }

  @Override
  public ReportFormat format() {
    return biggerIsBetter
        ? ReportFormat.BENCHMARK_ACTION_BIGGER
        : ReportFormat.BENCHMARK_ACTION_SMALLER;
  }

  @Override
  public String render(RunView run) {
    ArrayNode entries = Json.mapper().createArrayNode();
    for (TrackerMetrics.Point p : TrackerMetrics.of(run)) {
      if (p.measure().biggerIsBetter != biggerIsBetter) {
        continue;
      }
      ObjectNode e = entries.addObject();
      e.put("name", p.name());
      e.put("unit", biggerIsBetter ? "ops/s" : "ms");
      e.put("value", p.valueMs());
      if (p.error() != null) {
        e.put("range", String.format(Locale.ROOT, "± %.4f", p.error()));
      }
    }
    return Json.write(entries) + "\n";
  }
}

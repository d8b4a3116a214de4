package dev.critpath.report.writer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.model.RunView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tracker formats read the way the trackers read them, on a real bench run. For
 * github-action-benchmark: its alert rule (each entry matched by name with the previous run's; the
 * ratio current/previous, or previous/current for a bigger-is-better tool, above the alert
 * threshold, 200% by default, is an alert). For Bencher: the shape its JSON adapter accepts (the
 * BMF schema: benchmark, then measure, then a numeric value and optional bounds).
 */
class TrackerFormatsTest {
  private static final double ALERT_THRESHOLD = 2.0;

  private final RunView run = RunReader.read(GoldenFilesTest.RUNS.resolve("real-bench"));

  @Test
  void theSameRunComparedWithItselfGivesNoAlert() throws Exception {
    for (boolean bigger : List.of(false, true)) {
      JsonNode entries = action(run, bigger);
      assertThat(entries.size()).isGreaterThanOrEqualTo(6);
      assertThat(alerts(entries, entries, bigger)).isEmpty();
    }
  }

  @Test
  void everyNameIsUniqueAndEachFileHoldsOneDirection() throws Exception {
    Set<String> names = new HashSet<>();
    for (JsonNode e : action(run, false)) {
      assertThat(names.add(e.get("name").asText())).as(e.get("name").asText()).isTrue();
      assertThat(e.get("unit").asText()).isEqualTo("ms");
    }
    for (JsonNode e : action(run, true)) {
      assertThat(names.add(e.get("name").asText())).as(e.get("name").asText()).isTrue();
      assertThat(e.get("unit").asText()).isEqualTo("ops/s");
      assertThat(e.get("name").asText()).contains("throughput");
    }
    assertThat(names)
        .contains(
            "message_fetch [rls_on] latency mean, 1 thread",
            "message_fetch [rls_off] latency p95, 1 thread",
            "message_fetch [rls_on] throughput, 8 threads");
  }

  @Test
  void writesMeasuredBothWaysAndEachLevelsP95AreSeparateSeries() throws Exception {
    RunView writes = RunReader.read(GoldenFilesTest.RUNS.resolve("real-writes"));
    Set<String> names = new HashSet<>();
    for (JsonNode e : action(writes, false)) {
      assertThat(names.add(e.get("name").asText())).as(e.get("name").asText()).isTrue();
    }
    assertThat(names)
        .contains(
            "send_message [committed] [rls_on] latency p95, 1 thread",
            "send_message [committed] [rls_on] latency p95, 2 threads",
            "send_message [committed] [rls_on] latency p95, 8 threads",
            "send_message [rolledBack] [rls_on] latency p95, 1 thread",
            "message_fetch [rls_on] latency p95, 8 threads");
    assertThat(alerts(action(writes, false), action(writes, false), false)).isEmpty();
  }

  @Test
  void aThroughputGainIsNeverAnAlertAndALatencyLossIs() throws Exception {
    JsonNode latencies = action(run, false);
    JsonNode throughputs = action(run, true);
    // three times faster: latencies a third, throughput three times
    assertThat(alerts(throughputs, scaled(throughputs, 3.0), true)).isEmpty();
    assertThat(alerts(latencies, scaled(latencies, 1 / 3.0), false)).isEmpty();
    // the rule can fire: three times slower is an alert in both files
    assertThat(alerts(latencies, scaled(latencies, 3.0), false)).hasSize(latencies.size());
    assertThat(alerts(throughputs, scaled(throughputs, 1 / 3.0), true)).hasSize(throughputs.size());
  }

  @Test
  void bencherJsonHasTheShapeOfTheMetricFormat() throws Exception {
    JsonNode bmf = Json.mapper().readTree(ReportWriters.create(ReportFormat.BENCHER).render(run));
    assertThat(bmf.isObject()).isTrue();
    assertThat(bmf.size()).isGreaterThan(5);
    bmf.fields()
        .forEachRemaining(
            benchmark -> {
              assertThat(benchmark.getValue().isObject()).isTrue();
              benchmark
                  .getValue()
                  .fields()
                  .forEachRemaining(
                      measure -> {
                        JsonNode m = measure.getValue();
                        assertThat(m.get("value").isNumber()).as(benchmark.getKey()).isTrue();
                        m.fieldNames()
                            .forEachRemaining(
                                f -> assertThat(f).isIn("value", "lower_value", "upper_value"));
                        if (m.has("lower_value")) {
                          assertThat(m.get("lower_value").asDouble())
                              .isLessThanOrEqualTo(m.get("value").asDouble());
                          assertThat(m.get("upper_value").asDouble())
                              .isGreaterThanOrEqualTo(m.get("value").asDouble());
                        }
                      });
            });
    // Bencher's built-in latency measure is in nanoseconds
    double meanMs = run.query("message_fetch").variants().get(0).latency().mean();
    assertThat(bmf.at("/message_fetch~1rls_on~11 thread/latency/value").asDouble())
        .isEqualTo(meanMs * 1_000_000.0);
    assertThat(bmf.at("/message_fetch~1rls_on~18 threads/throughput/value").asDouble())
        .isPositive();
  }

  private static JsonNode action(RunView run, boolean bigger) throws Exception {
    ReportFormat format =
        bigger ? ReportFormat.BENCHMARK_ACTION_BIGGER : ReportFormat.BENCHMARK_ACTION_SMALLER;
    return Json.mapper().readTree(ReportWriters.create(format).render(run));
  }

  /** github-action-benchmark's rule: the names of the entries that would raise an alert. */
  private static List<String> alerts(JsonNode previous, JsonNode current, boolean bigger) {
    Map<String, Double> before = new HashMap<>();
    previous.forEach(e -> before.putIfAbsent(e.get("name").asText(), e.get("value").asDouble()));
    List<String> out = new ArrayList<>();
    for (JsonNode e : current) {
      Double prev = before.get(e.get("name").asText());
      if (prev == null) {
        continue;
      }
      double now = e.get("value").asDouble();
      double ratio = bigger ? prev / now : now / prev;
      if (ratio > ALERT_THRESHOLD) {
        out.add(e.get("name").asText());
      }
    }
    return out;
  }

  /** The entries with every value multiplied by {@code factor}, as a later run would give them. */
  private static JsonNode scaled(JsonNode entries, double factor) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (JsonNode e : entries) {
      ObjectNode copy = e.deepCopy();
      copy.put("value", e.get("value").asDouble() * factor);
      out.add(copy);
    }
    return out;
  }
}

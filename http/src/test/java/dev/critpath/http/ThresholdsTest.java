package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.critpath.http.metrics.ErrorKind;
import dev.critpath.http.metrics.MetricsRegistry;
import dev.critpath.http.metrics.ScenarioMetrics;
import dev.critpath.http.scenario.MetricKind;
import dev.critpath.http.scenario.ScenarioFile;
import dev.critpath.http.scenario.ScenarioParser;
import dev.critpath.http.scenario.Threshold;
import dev.critpath.run.ThresholdCheck;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Thresholds in k6's grammar evaluated over recorded histograms and counters. */
class ThresholdsTest {
  private MetricsRegistry registry;

  @BeforeEach
  void record() {
    registry = new MetricsRegistry(System.nanoTime(), Map.of("cache_hits", MetricKind.RATE));
    ScenarioMetrics warm = registry.add("warm", Map.of("phase", "warm"));
    ScenarioMetrics burst = registry.add("burst", Map.of("phase", "burst"));
    warm.started(System.nanoTime());
    burst.started(System.nanoTime());
    // warm: 100 responses of 1..100 ms, all 200
    for (int i = 1; i <= 100; i++) {
      warm.series("list", "GET", Map.of(), 200, null, false, false).record(ms(i), ms(i), ms(i));
    }
    // burst: 90 fast 200s, 8 slow 500s, 2 timeouts
    for (int i = 0; i < 90; i++) {
      burst.series("list", "GET", Map.of(), 200, null, false, false).record(ms(10), ms(10), ms(9));
    }
    for (int i = 0; i < 8; i++) {
      burst
          .series("list", "GET", Map.of(), 500, null, false, true)
          .record(ms(400), ms(400), ms(399));
    }
    for (int i = 0; i < 2; i++) {
      burst
          .series("list", "GET", Map.of(), 0, ErrorKind.TIMEOUT, false, true)
          .record(ms(5000), ms(5000), -1);
    }
    warm.check("list", "status is 200", true);
    burst.check("list", "status is 200", false);
    burst.custom("cache_hits", "list", 3, 4);
    warm.iterations.add(100);
    burst.dropped.add(7);
    registry.tick();
  }

  private static long ms(long v) {
    return TimeUnit.MILLISECONDS.toNanos(v);
  }

  private List<ThresholdCheck> evaluate(String yaml) {
    ScenarioFile f =
        new ScenarioParser(Map.of())
            .parse(
                "t.yaml",
                "t",
                "requests:\n  list: {path: /x, metrics: {cache_hits: {hits: a, misses: b}}}\n"
                    + "scenarios:\n  warm: {executor: shared-iterations}\n"
                    + "thresholds:\n"
                    + yaml);
    return registry.thresholds(f.thresholds());
  }

  private double value(String yaml) {
    return evaluate(yaml).get(0).observed();
  }

  @Test
  void trendAggregations() {
    assertThat(value("  http_req_duration{scenario:warm}: [\"p(95)<300\"]")).isBetween(94.9, 95.1);
    assertThat(value("  http_req_duration{scenario:warm}: [med<300]")).isBetween(49.9, 50.1);
    assertThat(value("  http_req_duration{scenario:warm}: [avg<300]")).isBetween(50.4, 50.6);
    assertThat(value("  http_req_duration{scenario:warm}: [min<300]")).isBetween(0.99, 1.01);
    assertThat(value("  http_req_duration{phase:warm}: [max<300]")).isBetween(99.9, 100.1);
    assertThat(value("  http_req_duration{status:500}: [max<300]")).isBetween(399.0, 401.0);
    assertThat(value("  http_req_waiting{scenario:burst}: [max<1]")).isBetween(398.0, 400.0);
  }

  @Test
  void ratesAndCounters() {
    assertThat(value("  http_req_failed: [rate<0.01]")).isEqualTo(0.05);
    assertThat(value("  http_req_failed{scenario:burst}: [rate<0.01]")).isEqualTo(0.1);
    assertThat(value("  http_reqs: [count>0]")).isEqualTo(200);
    assertThat(value("  http_reqs{error:timeout}: [count==2]")).isEqualTo(2);
    assertThat(value("  checks: [rate>0.9]")).isEqualTo(0.5);
    assertThat(value("  cache_hits{scenario:burst}: [rate>0.6]")).isEqualTo(0.75);
    assertThat(value("  iterations{scenario:warm}: [count>=100]")).isEqualTo(100);
    assertThat(value("  dropped_iterations: [count==0]")).isEqualTo(7);
  }

  @Test
  void verdicts() {
    List<ThresholdCheck> r =
        evaluate(
            "  http_req_duration{scenario:warm}: [\"p(95)<300\", \"p(95)>300\", avg<=50.5, \"avg!=0\"]\n"
                + "  http_req_failed: [rate==0.05]\n"
                + "  dropped_iterations: [count==0]\n"
                + "  http_req_duration{scenario:nothing}: [avg<1]\n");
    assertThat(r)
        .extracting(ThresholdCheck::passed)
        .containsExactly(true, false, false, true, true, false, false);
    assertThat(r.get(6).note()).contains("no samples matched");
    assertThat(r.get(6).observed()).isNull();
  }

  @Test
  void conditionsAreWrittenAsFieldsBesideTheirText() {
    List<ThresholdCheck> r =
        evaluate(
            "  http_req_duration{scenario:warm}: [\"p(99.9)<300\", med<=40]\n"
                + "  http_req_failed: [rate<0.01]\n"
                + "  http_reqs: [count>0, rate>1]\n");
    assertThat(r)
        .extracting(
            ThresholdCheck::stat, ThresholdCheck::op, ThresholdCheck::limit, ThresholdCheck::unit)
        .containsExactly(
            tuple("p99.9", "<", 300.0, ThresholdCheck.MS),
            tuple("p50", "<=", 40.0, ThresholdCheck.MS),
            tuple("rate", "<", 0.01, ThresholdCheck.RATIO),
            tuple("count", ">", 0.0, ThresholdCheck.COUNT),
            tuple("rate", ">", 1.0, ThresholdCheck.PER_SECOND));
    assertThat(r.get(0).text()).isEqualTo("p(99.9)<300");
    assertThat(r.get(0).metric()).isEqualTo("http_req_duration{scenario:warm}");
  }

  @Test
  void thresholdKeyKeepsTagOrder() {
    Threshold t =
        Threshold.parse(
            "http_req_duration",
            Threshold.parseMetric("http_req_duration{scenario:a, name:\"list\"}").getValue(),
            MetricKind.TREND,
            "p(99)<1",
            false,
            java.time.Duration.ZERO,
            1);
    assertThat(t.key()).isEqualTo("http_req_duration{scenario:a,name:list}");
  }
}

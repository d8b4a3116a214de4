package dev.critpath.http.scenario;

import dev.critpath.sampler.ServerMetric;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** k6's metric types, which decide the aggregations a threshold may use. */
public enum MetricKind {
  TREND(Set.of("avg", "min", "max", "med", "p")),
  RATE(Set.of("rate")),
  COUNTER(Set.of("count", "rate")),
  /**
   * A server metric sampled once a second ({@link ServerMetric}): avg, min, max, med and p(N) over
   * the samples, count = the samples above zero (seconds in which a thread waited, say).
   */
  SAMPLED(Set.of("avg", "min", "max", "med", "p", "count"));

  public final Set<String> aggregations;

  MetricKind(Set<String> aggregations) {
    this.aggregations = aggregations;
  }

  /**
   * The metrics critpath records. {@code http_req_duration} is the latency a user sees: from the
   * intended start under open-model executors (coordinated omission corrected, as wrk2), from the
   * send under closed ones; {@code http_req_service_time} is always from the actual send.
   */
  public static final Map<String, MetricKind> BUILTIN =
      withServerMetrics(
          Map.ofEntries(
              Map.entry("http_req_duration", TREND),
              Map.entry("http_req_service_time", TREND),
              Map.entry("http_req_waiting", TREND),
              Map.entry("http_req_connecting", TREND),
              Map.entry("iteration_duration", TREND),
              Map.entry("start_lag", TREND),
              Map.entry("http_req_failed", RATE),
              Map.entry("checks", RATE),
              Map.entry("http_reqs", COUNTER),
              Map.entry("iterations", COUNTER),
              Map.entry("dropped_iterations", COUNTER),
              Map.entry("late_starts", COUNTER),
              Map.entry("cold_starts", COUNTER)));

  /** The server sampler's metrics are built in too: db_cpu, db_connections, pool_waiting, ... */
  private static Map<String, MetricKind> withServerMetrics(Map<String, MetricKind> client) {
    Map<String, MetricKind> all = new HashMap<>(client);
    Arrays.stream(ServerMetric.values()).forEach(m -> all.put(m.key(), SAMPLED));
    return Map.copyOf(all);
  }
}

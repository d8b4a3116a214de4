package dev.critpath.http.scenario;

import java.util.Map;
import java.util.Set;

/** k6's metric types, which decide the aggregations a threshold may use. */
public enum MetricKind {
  TREND(Set.of("avg", "min", "max", "med", "p")),
  RATE(Set.of("rate")),
  COUNTER(Set.of("count", "rate"));

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
          Map.entry("cold_starts", COUNTER));
}

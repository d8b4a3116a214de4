package dev.critpath.report.model;

import java.util.List;

/**
 * One HTTP scenario (k6-style executor against an Edge Function or REST endpoint).
 *
 * @param errors failed requests
 * @param latency what users saw (corrected for coordinated omission under open-model executors)
 * @param timeline per-second points for the scenario chart; empty when not recorded
 */
public record HttpScenario(
    String name,
    String executor,
    Long requests,
    Long errors,
    Double requestsPerSec,
    Long droppedIterations,
    Latency latency,
    List<TimePoint> timeline) {

  /** One second of a scenario: throughput and p95 latency at that moment. */
  public record TimePoint(double second, Double requestsPerSec, Double p95Ms, Double errorRate) {}

  public Double errorRate() {
    if (requests == null || errors == null || requests == 0) {
      return null;
    }
    return (double) errors / requests;
  }
}

package dev.critpath.report.model;

import java.util.List;

/**
 * Everything a report shows about one catalog query, merged from the bench and explain sections.
 *
 * @param target the latency target as the catalog states it ("p95 &lt; 50ms"), may be null
 * @param targetMs the target's limit in milliseconds, null when none
 * @param targetMetric the percentile the target is on (p95, p99, mean...), null when none
 * @param checks thresholds and expectations with their outcome
 * @param warnings plan warnings (misestimates, spills, seq scans on large tables)
 */
public record QueryView(
    String name,
    String about,
    String sql,
    String role,
    List<ParamSampling> params,
    String mode,
    Latency latency,
    List<ThroughputPoint> throughput,
    ServerStats server,
    PlanView plan,
    String target,
    String targetMetric,
    Double targetMs,
    List<CheckResult> checks,
    List<Finding> warnings) {

  /** FAIL when any check failed, PASS when some passed, SKIP when nothing was checked. */
  public Status verdict() {
    if (checks.stream().anyMatch(CheckResult::failed)) {
      return Status.FAIL;
    }
    return checks.stream().anyMatch(c -> c.status() == Status.PASS) ? Status.PASS : Status.SKIP;
  }

  /** The measured value the target is on, in ms (p95 unless the target names another). */
  public Double targetValueMs() {
    return latency.get(targetMetric == null ? "p95" : targetMetric);
  }
}

package dev.critpath.report.model;

import java.util.List;

/**
 * Everything a report shows about one catalog query, merged from the bench and explain sections.
 *
 * @param target the latency target as the catalog states it ("p95 &lt; 50ms"), may be null
 * @param targetMs the target's limit in milliseconds, null when none
 * @param targetMetric the percentile the target is on (p95, p99, mean...), null when none
 * @param checks thresholds and expectations with their outcome
 * @param source the catalog file it came from
 * @param status ok, failed or skipped, as the benchmark recorded it; null when unknown
 * @param reason why it failed or was skipped
 * @param warnings plan warnings (misestimates, spills, seq scans on large tables)
 * @param variants every variant measured, the main one (whose numbers the other fields hold) first
 * @param notes other facts worth a line: RLS overhead, generic plan, what-if index results
 */
public record QueryView(
    String name,
    String about,
    String source,
    String sql,
    String role,
    List<ParamSampling> params,
    String mode,
    String status,
    String reason,
    Latency latency,
    List<ThroughputPoint> throughput,
    ServerStats server,
    PlanView plan,
    String target,
    String targetMetric,
    Double targetMs,
    List<CheckResult> checks,
    List<FindingView> warnings,
    List<VariantView> variants,
    List<String> notes) {

  /** FAIL when any check failed, PASS when some passed, SKIP when nothing was checked. */
  public Status verdict() {
    if (checks.stream().anyMatch(CheckResult::failed)) {
      return Status.FAIL;
    }
    return checks.stream().anyMatch(c -> c.status() == Status.PASS) ? Status.PASS : Status.SKIP;
  }
}

package dev.critpath.realtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * run.json's "realtime" section: every scenario of the run and whether all thresholds held.
 *
 * @param measured false when some scenario could not subscribe anyone (see its errors)
 * @param latencyLog the latency log beside run.json with every distribution in full ({@code
 *     realtime.hlog}), absent when the run kept none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealtimeReport(
    List<RealtimeScenarioResult> scenarios, boolean passed, boolean measured, String latencyLog) {

  static RealtimeReport of(List<RealtimeScenarioResult> scenarios) {
    return new RealtimeReport(
        List.copyOf(scenarios),
        scenarios.stream().allMatch(RealtimeScenarioResult::passed),
        scenarios.stream().allMatch(RealtimeScenarioResult::measured),
        null);
  }

  RealtimeReport withLatencyLog(String file) {
    return new RealtimeReport(scenarios, passed, measured, file);
  }

  /** The first error of the first scenario that measured nothing, for a one-line message. */
  public String unmeasuredReason() {
    return scenarios.stream()
        .filter(s -> !s.measured())
        .map(s -> s.level() + ": " + s.errors().firstError())
        .findFirst()
        .orElse(null);
  }
}

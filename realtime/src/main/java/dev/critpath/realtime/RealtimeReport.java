package dev.critpath.realtime;

import java.util.List;

/**
 * run.json's "realtime" section: every scenario of the run and whether all thresholds held.
 *
 * @param measured false when some scenario could not subscribe anyone (see its errors)
 */
public record RealtimeReport(List<ScenarioResult> scenarios, boolean passed, boolean measured) {

  static RealtimeReport of(List<ScenarioResult> scenarios) {
    return new RealtimeReport(
        List.copyOf(scenarios),
        scenarios.stream().allMatch(ScenarioResult::passed),
        scenarios.stream().allMatch(ScenarioResult::measured));
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

package dev.critpath.realtime;

import java.util.List;

/** run.json's "realtime" section: every scenario of the run and whether all thresholds held. */
public record RealtimeReport(List<ScenarioResult> scenarios, boolean passed) {

  static RealtimeReport of(List<ScenarioResult> scenarios) {
    return new RealtimeReport(
        List.copyOf(scenarios), scenarios.stream().allMatch(ScenarioResult::passed));
  }
}

package dev.critpath.report.model;

import java.util.List;

/**
 * One HTTP scenario file's run: its scenarios and the thresholds over them.
 *
 * @param verdict pass, fail or error as the HTTP stage recorded it
 * @param checks thresholds (and a failed functional validation) with their outcome
 * @param notes why it aborted, warnings
 */
public record HttpFile(
    String name,
    String description,
    String verdict,
    List<HttpScenario> scenarios,
    List<CheckResult> checks,
    List<String> notes) {

  public Status status() {
    if (checks.stream().anyMatch(CheckResult::failed) || "fail".equalsIgnoreCase(verdict)) {
      return Status.FAIL;
    }
    return checks.stream().anyMatch(c -> c.status() == Status.PASS) ? Status.PASS : Status.SKIP;
  }
}

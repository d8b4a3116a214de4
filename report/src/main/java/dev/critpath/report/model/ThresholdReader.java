package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a threshold of the http and realtime sections ({@link dev.critpath.run.ThresholdCheck}):
 * named by its metric and its text as written, its outcome from {@code passed}.
 */
final class ThresholdReader {
  private ThresholdReader() {}

  /** The check, with the observed value as the section shows it and the evidence it gives. */
  static CheckResult check(JsonNode t, String shownObserved, String evidence) {
    Boolean passed = J.bool(t, "passed");
    return new CheckResult(
        CheckResult.Kind.THRESHOLD,
        J.str(t, "metric") + ": " + J.str(t, "text"),
        passed == null ? Status.SKIP : passed ? Status.PASS : Status.FAIL,
        shownObserved,
        evidence);
  }
}

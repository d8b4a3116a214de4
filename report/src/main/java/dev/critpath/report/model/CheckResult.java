package dev.critpath.report.model;

/**
 * A threshold ("p95 &lt; 50ms") or an expectation ("uses index x; no seq scan on messages") with
 * its outcome and the evidence behind it.
 *
 * @param kind threshold or expectation
 * @param name what was checked, as the catalog or scenario states it
 * @param status pass, fail or skip
 * @param actual the measured value in words ("p95 = 12.3 ms"), may be null
 * @param evidence why it passed or failed (plan node, index, numbers), may be null
 */
public record CheckResult(Kind kind, String name, Status status, String actual, String evidence) {

  /** Where the check comes from. */
  public enum Kind {
    THRESHOLD,
    EXPECTATION;

    public String label() {
      return this == THRESHOLD ? "threshold" : "expectation";
    }
  }

  public boolean failed() {
    return status == Status.FAIL;
  }
}

package dev.critpath.report.model;

/**
 * A threshold ("p95 &lt; 50ms") or an expectation ("uses index x; no seq scan on messages") with
 * its outcome and the evidence behind it.
 *
 * @param kind threshold, expectation, or whether a stage ran at all
 * @param name what was checked, as the catalog or scenario states it
 * @param status pass, fail or skip
 * @param actual the measured value in words ("p95 = 12.3 ms"), may be null
 * @param evidence why it passed or failed (plan node, index, numbers), may be null
 */
public record CheckResult(Kind kind, String name, Status status, String actual, String evidence) {

  /** Where the check comes from. */
  public enum Kind {
    THRESHOLD,
    EXPECTATION,
    /** A stage ran for this subject at all (benchmark, plan capture, validation). */
    RUN;

    public String label() {
      return this == THRESHOLD ? "threshold" : this == EXPECTATION ? "expectation" : "run";
    }
  }

  public boolean failed() {
    return status == Status.FAIL;
  }
}

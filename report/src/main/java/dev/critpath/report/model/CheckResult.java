package dev.critpath.report.model;

/**
 * A threshold ("p95 &lt; 50ms") or an expectation ("uses index x; no seq scan on messages") with
 * its outcome and the evidence behind it.
 *
 * @param kind threshold, expectation, tenant boundary, whether a stage ran at all, or whether its
 *     measurement was undisturbed
 * @param name what was checked, as the catalog or scenario states it
 * @param status pass, fail or skip
 * @param actual the measured value in words ("p95 = 12.3 ms"), may be null
 * @param evidence why it passed or failed (plan node, index, numbers), may be null
 * @param location where it is declared ({@code queries/x.sql:6}), null when not a catalog line
 */
public record CheckResult(
    Kind kind, String name, Status status, String actual, String evidence, String location) {

  /** A check that no catalog line declares. */
  public CheckResult(Kind kind, String name, Status status, String actual, String evidence) {
    this(kind, name, status, actual, evidence, null);
  }

  /** Where the check comes from. */
  public enum Kind {
    THRESHOLD,
    EXPECTATION,
    /** A stage ran for this subject at all (benchmark, plan capture, validation). */
    RUN,
    /** A measurement was undisturbed: no call lost its connection mid-run. */
    MEASUREMENT,
    /** A tenant boundary held: an identity got none of another business's rows. */
    RLS;

    public String label() {
      switch (this) {
        case THRESHOLD:
          return "threshold";
        case EXPECTATION:
          return "expectation";
        case RUN:
          return "run";
        case MEASUREMENT:
          return "measurement";
        default:
          return "rls";
      }
    }
  }

  public boolean failed() {
    return status == Status.FAIL;
  }
}

package dev.critpath.doctor;

/**
 * One finding of {@code doctor}.
 *
 * @param fix what to do about it; empty when nothing needs doing
 */
public record DoctorCheck(String name, Status status, String detail, String fix) {

  /** How much a finding matters to critpath. */
  public enum Status {
    OK,
    /** critpath runs, but a feature is off or numbers are less complete. */
    WARN,
    /** a required capability is missing: benchmarks would fail or mislead. */
    FAIL
  }

  static DoctorCheck ok(String name, String detail) {
    return new DoctorCheck(name, Status.OK, detail, "");
  }

  static DoctorCheck warn(String name, String detail, String fix) {
    return new DoctorCheck(name, Status.WARN, detail, fix);
  }

  static DoctorCheck fail(String name, String detail, String fix) {
    return new DoctorCheck(name, Status.FAIL, detail, fix);
  }
}

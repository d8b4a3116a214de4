package dev.critpath;

/** The process exit codes CI gates rely on: "slower" (1) must never look like "broken" (2). */
public enum ExitCode {
  /** Every threshold, expectation and comparison held. */
  OK(0),
  /** A threshold, expectation or regression check failed. */
  FAILED(1),
  /** Usage, configuration or connection error: nothing trustworthy was measured. */
  ERROR(2);

  public final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The worse of two outcomes. */
  public ExitCode and(ExitCode other) {
    return other.code > code ? other : this;
  }
}

package dev.critpath.report.compare;

/**
 * How two runs are compared.
 *
 * @param effectFloor the smallest relative slowdown that counts as a regression (0.10 = 10%),
 *     however significant: below it a change is real but not worth failing a build for
 * @param alpha the family-wise (Holm) or false-discovery (BH) level, 0.01 by default: a CI gate
 *     that cries wolf once in twenty clean runs gets ignored
 * @param correction how p-values are corrected for testing many series at once
 * @param counterTolerance relative growth of shared buffers per call that counts as worse
 * @param replicates what one replicate of the rank test is
 */
public record CompareOptions(
    double effectFloor,
    double alpha,
    Correction correction,
    double counterTolerance,
    ReplicateUnit replicates) {

  public static final double DEFAULT_EFFECT_FLOOR = 0.10;
  public static final double DEFAULT_ALPHA = 0.01;
  public static final double DEFAULT_COUNTER_TOLERANCE = 0.20;

  /** With AUTO, per-fork means are the replicates from this many forks per run on. */
  public static final int MIN_FORKS_FOR_FORK_MEANS = 5;

  public CompareOptions {
    if (!(effectFloor >= 0 && effectFloor < 10)) {
      throw new dev.critpath.UserError(
          "--threshold must be between 0% and 1000%, got " + effectFloor);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new dev.critpath.UserError("--alpha must be between 0 and 1, got " + alpha);
    }
  }

  public static CompareOptions defaults() {
    return new CompareOptions(
        DEFAULT_EFFECT_FLOOR,
        DEFAULT_ALPHA,
        Correction.HOLM,
        DEFAULT_COUNTER_TOLERANCE,
        ReplicateUnit.AUTO);
  }

  /** What one replicate of the rank test is. */
  public enum ReplicateUnit {
    /**
     * Fork means when both runs have at least {@link #MIN_FORKS_FOR_FORK_MEANS} forks, else
     * iterations.
     */
    AUTO,
    /** The mean of each fork's iterations: independent JVMs, the sound unit. */
    FORK,
    /**
     * Each measurement iteration's score: more replicates, but iterations of one fork share a JVM.
     */
    ITERATION
  }
}

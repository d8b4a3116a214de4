package dev.critpath.report.model;

/**
 * What the server saw of one query during the measurement: the pg_stat_statements delta, per call
 * where it makes sense. Every field may be null.
 */
public record ServerStats(
    Long calls,
    Double meanExecMs,
    Double totalExecMs,
    Double rowsPerCall,
    Double sharedHitPerCall,
    Double sharedReadPerCall) {

  public static ServerStats empty() {
    return new ServerStats(null, null, null, null, null, null);
  }

  /** Shared buffers touched per call (hit + read), the near-deterministic cost of a query. */
  public Double sharedBuffersPerCall() {
    if (sharedHitPerCall == null && sharedReadPerCall == null) {
      return null;
    }
    return (sharedHitPerCall == null ? 0 : sharedHitPerCall)
        + (sharedReadPerCall == null ? 0 : sharedReadPerCall);
  }

  public boolean isEmpty() {
    return calls == null
        && meanExecMs == null
        && rowsPerCall == null
        && sharedBuffersPerCall() == null;
  }
}

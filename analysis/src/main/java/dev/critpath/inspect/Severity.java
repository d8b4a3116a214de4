package dev.critpath.inspect;

/** How much a finding matters. Ordered: a filter "at least WARN" keeps WARN and CRITICAL. */
public enum Severity {
  /** Worth knowing; nothing to fix by itself. */
  INFO,
  /** Likely costs time, space or write throughput: look at it. */
  WARN,
  /** Broken or badly wrong (an invalid index, a plan off by a factor of 1000). */
  CRITICAL;

  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }
}

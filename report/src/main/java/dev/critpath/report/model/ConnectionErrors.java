package dev.critpath.report.model;

/**
 * Calls of one variant that lost their connection mid-measurement (the server restarted, crashed or
 * dropped it). Each thread reconnected and measured on, so the variant's numbers include the
 * outage, and the bench stage fails the run.
 *
 * @param first why the first one failed, and in which measurement; may be null
 */
public record ConnectionErrors(long count, String first) {

  /** "2 connection errors". */
  public String counted() {
    return count + (count == 1 ? " connection error" : " connection errors");
  }

  /** "2 connection errors (first: …)", as every writer shows them. */
  public String describe() {
    return counted() + (first == null ? "" : " (first: " + first + ")");
  }
}

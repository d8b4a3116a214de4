package dev.critpath.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A threshold's outcome at the end of the run (or when it aborted it).
 *
 * @param value the observed aggregate (ms for trends), null when no sample matched
 * @param passed null when the threshold could not be evaluated (a server metric critpath cannot see
 *     here); the note says why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThresholdResult(
    String metric,
    String threshold,
    Double value,
    Boolean passed,
    boolean abortOnFail,
    String note) {

  /** Whether it was evaluated and did not hold. */
  public boolean failed() {
    return Boolean.FALSE.equals(passed);
  }
}

package dev.critpath.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A threshold's outcome at the end of the run (or when it aborted it).
 *
 * @param value the observed aggregate (ms for trends), null when no sample matched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThresholdResult(
    String metric,
    String threshold,
    Double value,
    boolean passed,
    boolean abortOnFail,
    String note) {}

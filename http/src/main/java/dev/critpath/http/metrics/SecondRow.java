package dev.critpath.http.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One second of a scenario, for the report's time series.
 *
 * @param t seconds since the test started, at the end of this row (0.1 s resolution; the last row
 *     of a scenario may cover less than a second)
 * @param p50 corrected latency percentiles in ms (null in a second without responses)
 * @param serviceP99 the 99th percentile of service time, ms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecondRow(
    double t,
    long requests,
    long failed,
    Double p50,
    Double p95,
    Double p99,
    Double max,
    Double serviceP99,
    int vus,
    long iterations,
    long dropped,
    long lateStarts) {}

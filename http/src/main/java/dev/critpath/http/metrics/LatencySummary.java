package dev.critpath.http.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.HdrHistogram.AbstractHistogram;

/** Percentiles of a latency histogram (recorded in microseconds), in milliseconds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LatencySummary(
    long count,
    Double min,
    Double mean,
    Double p50,
    Double p90,
    Double p95,
    Double p99,
    Double p999,
    Double max) {

  public static final LatencySummary EMPTY =
      new LatencySummary(0, null, null, null, null, null, null, null, null);

  public static LatencySummary of(AbstractHistogram h) {
    if (h == null || h.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(
        h.getTotalCount(),
        ms(h.getMinValue()),
        round(h.getMean() / 1000.0),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(95)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()));
  }

  static Double ms(long micros) {
    return round(micros / 1000.0);
  }

  /** Rounded to the microsecond. */
  public static double round(double ms) {
    return Math.round(ms * 1000.0) / 1000.0;
  }
}

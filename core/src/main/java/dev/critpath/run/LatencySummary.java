package dev.critpath.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.HdrHistogram.AbstractHistogram;

/**
 * A latency distribution as run.json carries it for the http and realtime sections: percentiles of
 * an HdrHistogram recorded in microseconds, in milliseconds rounded to the microsecond. Nothing
 * measured is {@code count} 0 with every percentile absent (null), never a fake 0 ms.
 */
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

  /** Nothing measured. */
  public static final LatencySummary EMPTY =
      new LatencySummary(0, null, null, null, null, null, null, null, null);

  /** The summary of a histogram of microseconds; {@link #EMPTY} for none or an empty one. */
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

  /** Microseconds as milliseconds. */
  public static Double ms(long micros) {
    return round(micros / 1000.0);
  }

  /** Rounded to the microsecond. */
  public static double round(double ms) {
    return Math.round(ms * 1000.0) / 1000.0;
  }
}

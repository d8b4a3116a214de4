package dev.critpath.realtime;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.AbstractHistogram;

/**
 * Percentiles of one latency distribution, in milliseconds, as run.json carries them. The samples
 * live in an HdrHistogram (microseconds, 3 significant digits), never in a list.
 */
public record LatencySummary(
    long count,
    double minMs,
    double p50Ms,
    double p90Ms,
    double p95Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    double meanMs) {

  /** Longest latency a histogram tracks; anything longer is clamped to it. */
  static final long MAX_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(10);

  static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0, 0);

  static LatencySummary of(AbstractHistogram h) {
    if (h.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(
        h.getTotalCount(),
        ms(h.getMinValue()),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(95)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()),
        Math.round(h.getMean()) / 1000.0);
  }

  /** The value a k6-style aggregation names: p(95), max, avg, med, min. */
  double value(String aggregation) {
    switch (aggregation) {
      case "min":
        return minMs;
      case "med":
      case "p(50)":
        return p50Ms;
      case "p(90)":
        return p90Ms;
      case "p(95)":
        return p95Ms;
      case "p(99)":
        return p99Ms;
      case "p(99.9)":
        return p999Ms;
      case "max":
        return maxMs;
      case "avg":
        return meanMs;
      default:
        throw new IllegalArgumentException("unknown aggregation " + aggregation);
    }
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}

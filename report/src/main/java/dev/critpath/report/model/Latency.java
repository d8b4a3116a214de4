package dev.critpath.report.model;

import java.util.List;

/**
 * A latency distribution in milliseconds. Any field may be null when the producer did not measure
 * it.
 *
 * @param error half-width of the confidence interval of the mean (JMH's scoreError)
 * @param histogram buckets for the histogram chart, ascending; empty when unknown
 */
public record Latency(
    Double p50,
    Double p90,
    Double p95,
    Double p99,
    Double p999,
    Double max,
    Double mean,
    Double error,
    Long samples,
    List<Bucket> histogram) {

  /** One histogram bucket: {@code count} samples at most {@code upToMs} (and above the last). */
  public record Bucket(double upToMs, long count) {}

  public static Latency empty() {
    return new Latency(null, null, null, null, null, null, null, null, null, List.of());
  }

  public boolean isEmpty() {
    return p50 == null && p95 == null && mean == null && max == null;
  }

  /** The named percentile: p50, p90, p95, p99, p99.9, max or mean. */
  public Double get(String metric) {
    switch (metric) {
      case "p50":
      case "median":
      case "med":
        return p50;
      case "p90":
        return p90;
      case "p95":
        return p95;
      case "p99":
        return p99;
      case "p99.9":
      case "p999":
        return p999;
      case "max":
        return max;
      case "mean":
      case "avg":
        return mean;
      default:
        return null;
    }
  }
}

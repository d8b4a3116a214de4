package dev.critpath.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A target or threshold with its outcome, as every producer writes it in run.json (the bench
 * section's targets, the http and realtime sections' thresholds): the condition as fields, so a
 * reader never parses text, beside the text as written.
 *
 * @param metric what was measured: {@link #LATENCY} for a catalog target (the main variant's client
 *     latency at one thread), the HTTP metric key ({@code http_req_duration{scenario:warm}}), the
 *     realtime measurement ({@code delivery_latency}, {@code messages_lost})
 * @param stat the statistic held: mean, min, max, pN (a percentile: p50, p95, p99.9), count, rate
 * @param op the comparison: {@code <}, {@code <=}, {@code >}, {@code >=}, {@code ==}, {@code !=}
 * @param limit the bound, in {@code unit}
 * @param unit {@link #MS}, {@link #COUNT}, {@link #RATIO} (a share 0..1), {@link #PER_SECOND} or
 *     {@link #PER_MINUTE}
 * @param text the condition as written, its origin note included
 * @param observed the measured value in {@code unit}; null when nothing was measured
 * @param passed whether it held; null when it could not be evaluated
 * @param source where the condition is declared ({@code queries/x.sql:3}) or where its number comes
 *     from; null when the text says it
 * @param note why it has no value, or what the value counts; null when there is nothing to add
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThresholdCheck(
    String metric,
    String stat,
    String op,
    double limit,
    String unit,
    String text,
    Double observed,
    Boolean passed,
    String source,
    String note) {

  /** The metric of a catalog target: the latency of the query's main variant. */
  public static final String LATENCY = "latency";

  public static final String MS = "ms";
  public static final String COUNT = "count";
  public static final String RATIO = "ratio";
  public static final String PER_SECOND = "per_second";
  public static final String PER_MINUTE = "per_minute";

  /**
   * The stat of a k6 aggregation: avg is the mean, med the p50, p(N) the pN, the rest (min, max,
   * count, rate) as named.
   */
  public static String k6Stat(String aggregation, double percentile) {
    return switch (aggregation) {
      case "avg" -> "mean";
      case "med" -> "p50";
      case "p" -> "p" + number(percentile);
      default -> aggregation;
    };
  }

  /** The comparison of a k6 operator: {@code ===} is {@code ==}. */
  public static String k6Op(String operator) {
    return "===".equals(operator) ? "==" : operator;
  }

  /** A number as a person writes it: 500, not 500.0; 99.9 as is. */
  public static String number(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v)
        ? Long.toString((long) v)
        : Double.toString(v);
  }
}

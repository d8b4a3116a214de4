package dev.critpath.realtime;

import dev.critpath.run.LatencySummary;

/**
 * One target held against one measurement, in k6's words: {@code p(95)<500}, {@code count==0}.
 *
 * @param metric what was measured (delivery_latency, messages_lost, ...)
 * @param expression the condition that must hold
 * @param actual the measured value (milliseconds for latencies)
 * @param source where the target comes from
 */
public record Threshold(
    String metric, String expression, double actual, boolean passed, String source) {

  static Threshold below(
      String metric, String aggregation, LatencySummary summary, double limitMs, String source) {
    boolean measured = summary.count() > 0;
    double actual = measured ? value(summary, aggregation) : 0;
    return new Threshold(
        metric,
        aggregation + "<" + fmt(limitMs),
        actual,
        measured && actual < limitMs,
        measured ? source : source + " (nothing measured: fails)");
  }

  static Threshold zero(String metric, long actual, String source) {
    return new Threshold(metric, "count==0", actual, actual == 0, source);
  }

  /** The value a k6-style aggregation names: p(95), max, avg, med, min. */
  static double value(LatencySummary s, String aggregation) {
    return switch (aggregation) {
      case "min" -> s.min();
      case "med", "p(50)" -> s.p50();
      case "p(90)" -> s.p90();
      case "p(95)" -> s.p95();
      case "p(99)" -> s.p99();
      case "p(99.9)" -> s.p999();
      case "max" -> s.max();
      case "avg" -> s.mean();
      default -> throw new IllegalArgumentException("unknown aggregation " + aggregation);
    };
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}

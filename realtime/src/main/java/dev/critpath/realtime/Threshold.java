package dev.critpath.realtime;

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
    double actual = summary.value(aggregation);
    boolean measured = summary.count() > 0;
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

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}

package dev.critpath.http.scenario;

import dev.critpath.run.ThresholdCheck;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail criterion in k6's grammar: {@code aggregation operator number} on a metric, the
 * metric optionally narrowed by tags: {@code http_req_duration{scenario:warm}: p(95)<300}.
 */
public record Threshold(
    String metric,
    Map<String, String> tags,
    String aggregation,
    double percentile,
    String operator,
    double value,
    boolean abortOnFail,
    Duration delayAbortEval,
    String expression,
    int line) {

  private static final Pattern ORIGIN = Pattern.compile("\\s+\\([^()]*\\)\\s*$");

  private static final Pattern EXPRESSION =
      Pattern.compile(
          "\\s*(avg|min|max|med|count|rate|value|p\\(\\s*(\\d+(?:\\.\\d+)?)\\s*\\))\\s*(===|==|!=|>=|<=|>|<)\\s*(-?\\d+(?:\\.\\d+)?)\\s*");
  private static final Pattern METRIC =
      Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\{(.*)\\})?\\s*");

  /** The metric key as written, e.g. {@code http_req_duration{scenario:warm}}. */
  public String key() {
    if (tags.isEmpty()) {
      return metric;
    }
    StringBuilder b = new StringBuilder(metric).append('{');
    tags.forEach(
        (k, v) ->
            b.append(b.charAt(b.length() - 1) == '{' ? "" : ",").append(k).append(':').append(v));
    return b.append('}').toString();
  }

  /** This threshold as run.json records it: what was observed in {@code unit}, and the verdict. */
  public ThresholdCheck checked(String unit, Double observed, Boolean passed, String note) {
    return new ThresholdCheck(
        key(),
        ThresholdCheck.k6Stat(aggregation, percentile),
        ThresholdCheck.k6Op(operator),
        value,
        unit,
        expression,
        observed,
        passed,
        null,
        note);
  }

  /** Splits {@code name{k:v,k2:v2}} into name and tags. */
  public static Map.Entry<String, Map<String, String>> parseMetric(String key) {
    Matcher m = METRIC.matcher(key);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\""
              + key
              + "\" is not a metric name (write e.g. http_req_duration or"
              + " http_req_duration{scenario:warm})");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    if (m.group(2) != null && !m.group(2).isBlank()) {
      for (String pair : m.group(2).split(",")) {
        int colon = pair.indexOf(':');
        if (colon < 1) {
          throw new IllegalArgumentException(
              "tag filter \"" + pair.strip() + "\" in \"" + key + "\" must be name:value");
        }
        tags.put(unquote(pair.substring(0, colon)), unquote(pair.substring(colon + 1)));
      }
    }
    return Map.entry(m.group(1), tags);
  }

  private static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2
        && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  /**
   * Parses one threshold expression for {@code metric} of {@code kind}.
   *
   * @throws IllegalArgumentException naming what is wrong and what is allowed
   */
  public static Threshold parse(
      String metric,
      Map<String, String> tags,
      MetricKind kind,
      String expression,
      boolean abortOnFail,
      Duration delayAbortEval,
      int line) {
    // A note after the expression names where the number comes from ("p(95)<2000 (seed 002,
    // Success Metrics: Storage Upload)"); it stays in the expression every report shows.
    Matcher m = EXPRESSION.matcher(ORIGIN.matcher(expression).replaceFirst(""));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "threshold \""
              + expression
              + "\" is not in k6's grammar: aggregation operator number,"
              + " e.g. p(95)<300, avg<200, med<150, max<1000, rate<0.01, count>0");
    }
    String agg = m.group(1).startsWith("p(") ? "p" : m.group(1);
    double percentile = m.group(2) == null ? Double.NaN : Double.parseDouble(m.group(2));
    if ("p".equals(agg) && (percentile < 0 || percentile > 100)) {
      throw new IllegalArgumentException("percentile p(" + m.group(2) + ") must be within 0..100");
    }
    if (!kind.aggregations.contains(agg)) {
      throw new IllegalArgumentException(
          "threshold \""
              + expression
              + "\": "
              + metric
              + " is a "
              + kind.name().toLowerCase()
              + " metric, which allows "
              + String.join(
                  ", ",
                  kind.aggregations.stream()
                      .map(a -> a.equals("p") ? "p(N)" : a)
                      .sorted()
                      .toList()));
    }
    return new Threshold(
        metric,
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags)),
        agg,
        percentile,
        m.group(3),
        Double.parseDouble(m.group(4)),
        abortOnFail,
        delayAbortEval,
        expression.strip(),
        line);
  }

  /** Whether {@code observed} satisfies this threshold. */
  public boolean holds(double observed) {
    switch (operator) {
      case "<":
        return observed < value;
      case "<=":
        return observed <= value;
      case ">":
        return observed > value;
      case ">=":
        return observed >= value;
      case "!=":
        return observed != value;
      default:
        return observed == value;
    }
  }
}

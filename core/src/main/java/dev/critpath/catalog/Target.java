package dev.critpath.catalog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A latency target from a {@code -- target:} line such as {@code p95 < 50ms}: checked against the
 * client-side latency the benchmark measured for the query's main variant. A trailing note in
 * parentheses names where the number comes from ({@code p95 < 50ms (seed 002, Success Metrics:
 * Message Fetch)}); it stays in {@link #text}, so every report that shows the target names its
 * origin.
 *
 * @param metric which statistic of the latency distribution
 * @param inclusive true for {@code <=}, false for {@code <}
 * @param thresholdMillis the bound in milliseconds
 * @param text the target as written, with its origin note
 */
public record Target(
    Metric metric,
    boolean inclusive,
    double thresholdMillis,
    String text,
    String source,
    int line) {

  /** The latency statistics a target may name, with their keys in results. */
  public enum Metric {
    MEAN("mean", Double.NaN),
    P50("p50", 50.0),
    P90("p90", 90.0),
    P95("p95", 95.0),
    P99("p99", 99.0),
    P999("p99.9", 99.9),
    MAX("max", 100.0);

    private final String key;
    private final double percentile;

    Metric(String key, double percentile) {
      this.key = key;
      this.percentile = percentile;
    }

    /** The name in headers and in run.json (mean, p50, ..., p99.9, max). */
    public String key() {
      return key;
    }

    /** The percentile (0..100) this metric is; NaN for the mean. */
    public double percentile() {
      return percentile;
    }

    static Metric parse(String word) {
      String w = word.toLowerCase(Locale.ROOT);
      if (w.equals("avg")) {
        return MEAN;
      }
      if (w.equals("p999")) {
        return P999;
      }
      for (Metric m : values()) {
        if (m.key.equals(w)) {
          return m;
        }
      }
      return null;
    }
  }

  private static final Pattern SYNTAX =
      Pattern.compile("([a-z0-9.]+)\\s*(<=|<)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(us|µs|ms|s)");

  /** The origin note after a target: {@code (seed 002, Success Metrics: Message Fetch)}. */
  private static final Pattern ORIGIN = Pattern.compile("\\s*\\([^()]*\\)\\s*$");

  /** True when the observed value meets the target. */
  public boolean holds(double observedMillis) {
    return inclusive ? observedMillis <= thresholdMillis : observedMillis < thresholdMillis;
  }

  /** {@code file:line}, for messages. */
  public String location() {
    return source + ":" + line;
  }

  /**
   * Parses {@code METRIC < VALUE UNIT}; returns null with the reason in {@code why[0]} when the
   * text is not a target.
   */
  static Target parse(String text, String source, int line, String[] why) {
    String bare = ORIGIN.matcher(text).replaceFirst("");
    Matcher m = SYNTAX.matcher(bare.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      why[0] =
          "cannot read target '"
              + text
              + "': write METRIC < VALUE UNIT, e.g. 'p95 < 50ms' (metrics: mean, p50, p90, p95,"
              + " p99, p99.9, max; units: us, ms, s)";
      return null;
    }
    Metric metric = Metric.parse(m.group(1));
    if (metric == null) {
      why[0] =
          "unknown target metric '"
              + m.group(1)
              + "' (known: mean, p50, p90, p95, p99, p99.9, max)";
      return null;
    }
    double value = Double.parseDouble(m.group(3));
    String unit = m.group(4);
    double millis =
        unit.equals("s") ? value * 1000 : unit.equals("ms") ? value : value / 1000; // us, µs
    return new Target(metric, m.group(2).equals("<="), millis, text.trim(), source, line);
  }
}

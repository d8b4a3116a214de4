package dev.critpath.http.metrics;

import dev.critpath.http.scenario.Threshold;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.ThresholdCheck;
import dev.critpath.sampler.ServerMetric;
import dev.critpath.sampler.ServerSample;
import dev.critpath.sampler.ServerSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Thresholds on the server sampler's metrics ({@code db_cpu: ['max<70']}), judged on the samples
 * taken while a file's load ran. A metric the sampler cannot see here is not evaluated, and says
 * why: never a pass.
 */
public final class ServerThresholds {
  public static final String NOT_SAMPLED = "the server was not sampled during this run";

  private ServerThresholds() {}

  /** Whether {@code t} is on a server metric rather than on the client's. */
  public static boolean isServer(Threshold t) {
    return ServerMetric.named(t.metric()).isPresent();
  }

  /** Each threshold's outcome over the samples from {@code fromNanos} to {@code toNanos}. */
  public static List<ThresholdCheck> evaluate(
      List<Threshold> thresholds, ServerSampler sampler, long fromNanos, long toNanos) {
    if (sampler == null) {
      return evaluate(thresholds, m -> Optional.of(NOT_SAMPLED), List.of());
    }
    return evaluate(thresholds, sampler::notVisible, sampler.window(fromNanos, toNanos));
  }

  /**
   * Each threshold's outcome over {@code window}, a run's own samples or a merge's.
   *
   * @param hidden why a metric was not recorded, if it was not
   */
  public static List<ThresholdCheck> evaluate(
      List<Threshold> thresholds,
      Function<ServerMetric, Optional<String>> hidden,
      List<ServerSample> window) {
    List<ThresholdCheck> out = new ArrayList<>();
    for (Threshold t : thresholds) {
      Optional<String> why = hidden.apply(ServerMetric.named(t.metric()).orElseThrow());
      if (why.isPresent()) {
        out.add(notEvaluated(t, why.get()));
        continue;
      }
      double v = value(t, window);
      if (Double.isNaN(v)) {
        out.add(notEvaluated(t, "no server sample fell within the load"));
      } else {
        out.add(
            check(
                t, LatencySummary.round(v), t.holds(v), window.size() + " samples, 1 per second"));
      }
    }
    return out;
  }

  /** The threshold's aggregate over {@code samples}, NaN when none carries the metric. */
  public static double value(Threshold t, List<ServerSample> samples) {
    ServerMetric metric = ServerMetric.named(t.metric()).orElseThrow();
    double[] v =
        samples.stream()
            .map(s -> s.value(metric))
            .filter(x -> x != null)
            .mapToDouble(Double::doubleValue)
            .sorted()
            .toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    switch (t.aggregation()) {
      case "avg":
        return Arrays.stream(v).average().orElseThrow();
      case "min":
        return v[0];
      case "max":
        return v[v.length - 1];
      case "med":
        return percentile(v, 50);
      case "count":
        return Arrays.stream(v).filter(x -> x > 0).count();
      default:
        return percentile(v, t.percentile());
    }
  }

  /** Why the sampler cannot judge {@code t}, if it cannot. */
  public static Optional<String> hidden(Threshold t, ServerSampler sampler) {
    if (sampler == null) {
      return Optional.of(NOT_SAMPLED);
    }
    return sampler.notVisible(ServerMetric.named(t.metric()).orElseThrow());
  }

  private static ThresholdCheck notEvaluated(Threshold t, String why) {
    return check(t, null, null, "not evaluated: " + why);
  }

  private static ThresholdCheck check(Threshold t, Double observed, Boolean passed, String note) {
    return t.checked(unit(t), observed, passed, note);
  }

  /** count counts samples; the rest are in the metric's own unit. */
  private static String unit(Threshold t) {
    if ("count".equals(t.aggregation())) {
      return ThresholdCheck.COUNT;
    }
    return switch (ServerMetric.named(t.metric()).orElseThrow()) {
      case DB_CPU -> ThresholdCheck.PERCENT;
      case DB_CONNECTIONS, DB_LOCK_WAITS, POOL_WAITING -> ThresholdCheck.COUNT;
      case DB_TEMP_BYTES -> ThresholdCheck.BYTES_PER_SECOND;
      default -> ThresholdCheck.PER_SECOND;
    };
  }

  /** The nearest-rank percentile of sorted values, as HdrHistogram reports the client's. */
  private static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}

package dev.critpath.report.writer;

import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.ThroughputPoint;
import dev.critpath.report.model.VariantView;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench section as the one-number-per-series points that benchmark trackers (Bencher,
 * github-action-benchmark) chart and alert on: one per query, variant, measure and thread count,
 * each with a name no other point shares, its unit and which way is better. jmh.json cannot serve
 * them: its entries for one path share a name across modes and thread counts, and trackers read
 * every entry of a file as smaller-is-better or every one as bigger-is-better.
 */
final class TrackerMetrics {
  private TrackerMetrics() {}

  /** What a point measures. */
  enum Measure {
    /** Mean latency at one thread (JMH sample time), with its confidence interval. */
    LATENCY_MEAN("latency", "latency mean", false),
    /** p95 latency, at one thread and at each thread count measured. */
    LATENCY_P95("p95-latency", "latency p95", false),
    /** Operations per second, all threads together. */
    THROUGHPUT("throughput", "throughput", true);

    /** Bencher's measure slug ({@code latency} and {@code throughput} are its built-in ones). */
    final String slug;

    final String label;
    final boolean biggerIsBetter;

    Measure(String slug, String label, boolean biggerIsBetter) {
      this.slug = slug;
      this.label = label;
      this.biggerIsBetter = biggerIsBetter;
    }
  }

  /**
   * One point.
   *
   * @param valueMs the value in milliseconds for latencies, operations per second for throughput
   * @param error half-width of its confidence interval in the same unit, null when unknown
   */
  record Point(
      String query, String variant, int threads, Measure measure, double valueMs, Double error) {

    /** The benchmark a tracker files it under: query, variant and thread count. */
    String benchmark() {
      return query + "/" + variant + "/" + threads + (threads == 1 ? " thread" : " threads");
    }

    /** A name unique within the run: the benchmark and the measure. */
    String name() {
      return query + " [" + variant + "] " + measure.label + ", " + threadsLabel();
    }

    private String threadsLabel() {
      return threads + (threads == 1 ? " thread" : " threads");
    }
  }

  /** Every point of the run, in the report's query order. */
  static List<Point> of(RunView run) {
    List<Point> out = new ArrayList<>();
    for (QueryView q : run.queries()) {
      for (VariantView v : q.variants()) {
        if (v.latency() == null || v.latency().isEmpty()) {
          continue;
        }
        if (v.latency().mean() != null) {
          out.add(
              new Point(
                  q.name(),
                  v.name(),
                  1,
                  Measure.LATENCY_MEAN,
                  v.latency().mean(),
                  v.latency().error()));
        }
        if (v.latency().p95() != null) {
          out.add(new Point(q.name(), v.name(), 1, Measure.LATENCY_P95, v.latency().p95(), null));
        }
      }
      if (!q.variants().isEmpty()) {
        String main = q.variants().get(0).name();
        for (ThroughputPoint t : q.throughput()) {
          out.add(
              new Point(q.name(), main, t.threads(), Measure.THROUGHPUT, t.opsPerSec(), t.error()));
          // the 1-thread p95 is the variant's own, above
          if (t.threads() > 1 && t.p95Ms() != null) {
            out.add(new Point(q.name(), main, t.threads(), Measure.LATENCY_P95, t.p95Ms(), null));
          }
        }
      }
    }
    return out;
  }
}

package dev.critpath.bench;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/** Turns JMH results into the numbers of run.json (milliseconds, ops/s, server deltas). */
final class Measurements {
  private static final double US_PER_MS = 1000.0;

  private Measurements() {}

  /** SampleTime results (measured in microseconds) as a latency distribution in ms. */
  static BenchReport.Latency latency(RunResult rr) {
    Result<?> primary = rr.getPrimaryResult();
    Statistics s = primary.getStatistics();
    List<Double> forkMeans = new ArrayList<>();
    for (BenchmarkResult fork : rr.getBenchmarkResults()) {
      forkMeans.add(round(fork.getPrimaryResult().getScore() / US_PER_MS));
    }
    return new BenchReport.Latency(
        "ms",
        rr.getParams().getThreads(),
        s.getN(),
        round(s.getMean() / US_PER_MS),
        finite(primary.getScoreError() / US_PER_MS),
        round(s.getPercentile(50) / US_PER_MS),
        round(s.getPercentile(90) / US_PER_MS),
        round(s.getPercentile(95) / US_PER_MS),
        round(s.getPercentile(99) / US_PER_MS),
        round(s.getPercentile(99.9) / US_PER_MS),
        round(s.getMax() / US_PER_MS),
        forkMeans);
  }

  /**
   * One concurrency level from its SampleTime results: the latency percentiles, and the throughput
   * they imply by Little's law (threads / mean latency: every thread of JMH's closed loop is always
   * in a call), its error carried over from the mean's (first order).
   */
  static BenchReport.Level level(RunResult rr) {
    BenchReport.Latency latency = latency(rr);
    int threads = latency.threads();
    List<Double> forkMeans = new ArrayList<>();
    for (BenchmarkResult fork : rr.getBenchmarkResults()) {
      forkMeans.add(round(opsPerSec(threads, fork.getPrimaryResult().getScore() / US_PER_MS)));
    }
    double ops = opsPerSec(threads, latency.mean());
    Double error =
        latency.error() == null || latency.mean() <= 0
            ? null
            : finite(ops * latency.error() / latency.mean());
    return new BenchReport.Level(
        threads, round(ops), error, latency.mean(), forkMeans, server(rr), latency);
  }

  private static double opsPerSec(int threads, double meanMs) {
    return meanMs > 0 ? threads * 1000.0 / meanMs : Double.NaN;
  }

  /** The pg_stat_statements delta summed over all measurement iterations of all forks. */
  static BenchReport.ServerStats server(RunResult rr) {
    double[] sum = new double[5];
    boolean any = false;
    for (BenchmarkResult fork : rr.getBenchmarkResults()) {
      for (IterationResult it : fork.getIterationResults()) {
        var secondary = it.getSecondaryResults();
        if (secondary.containsKey(PgStatProfiler.CALLS)) {
          any = true;
          sum[0] += secondary.get(PgStatProfiler.CALLS).getScore();
          sum[1] += secondary.get(PgStatProfiler.EXEC_MS).getScore();
          sum[2] += secondary.get(PgStatProfiler.BLKS_HIT).getScore();
          sum[3] += secondary.get(PgStatProfiler.BLKS_READ).getScore();
          sum[4] += secondary.get(PgStatProfiler.ROWS).getScore();
        }
      }
    }
    if (!any || sum[0] <= 0) {
      return null;
    }
    double calls = sum[0];
    return new BenchReport.ServerStats(
        (long) calls,
        round(sum[1] / calls),
        round(sum[1]),
        (long) sum[2],
        (long) sum[3],
        (long) sum[4],
        round(sum[2] / calls),
        round(sum[3] / calls),
        round(sum[4] / calls));
  }

  /** A statistic of a latency by its target key (mean, p50 ... p99.9, max). */
  static double metric(BenchReport.Latency l, String key) {
    return switch (key) {
      case "mean" -> l.mean();
      case "p50" -> l.p50();
      case "p90" -> l.p90();
      case "p95" -> l.p95();
      case "p99" -> l.p99();
      case "p99.9" -> l.p999();
      case "max" -> l.max();
      default -> throw new IllegalArgumentException("no latency metric " + key);
    };
  }

  static Double finite(double v) {
    return Double.isFinite(v) ? round(v) : null;
  }

  /** Four significant decimals below a millisecond are plenty; keeps run.json readable. */
  static double round(double v) {
    if (!Double.isFinite(v)) {
      return v;
    }
    return Math.round(v * 10_000.0) / 10_000.0;
  }
}

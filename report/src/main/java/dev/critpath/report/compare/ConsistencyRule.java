package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.compare.Comparison.SeriesVerdict;
import dev.critpath.report.compare.Comparison.Status;
import dev.critpath.report.model.QueryView;
import java.util.Comparator;
import java.util.List;

/**
 * One query's status from its two signals: the series' timing verdicts and the counters. Timing
 * alone calls a regression only when the counters do not contradict it; counters confirm a slowdown
 * the replicates cannot prove.
 */
final class ConsistencyRule {
  /**
   * A slowdown (as a fraction: 1.0 is twice as slow) that run-to-run noise on one machine does not
   * explain; one this large with unchanged counters is not called "unchanged".
   */
  static final double FAR_BEYOND_NOISE = 1.0;

  private final CompareOptions options;

  ConsistencyRule(CompareOptions options) {
    this.options = options;
  }

  /** The status; adds to {@code notes} and {@code causes} why. */
  Status status(
      QueryView b,
      QueryView c,
      List<SeriesDiff> series,
      CounterComparison counters,
      double band,
      List<String> notes,
      List<String> causes) {
    String broke = broken(c);
    if (broke != null && broken(b) == null) {
      // worse than slower: it stopped working
      causes.add(0, "the current run could not measure it: " + broke);
      return Status.REGRESSED;
    }
    if (broke != null) {
      notes.add("neither run could measure it: " + broke);
      return Status.NOT_COMPARED;
    }
    boolean slower = series.stream().anyMatch(s -> s.verdict() == SeriesVerdict.SLOWER);
    if (slower) {
      return slowerStatus(series, counters, band, notes);
    }
    return timingUnprovenStatus(b, c, series, counters, band, notes);
  }

  /** Some series is significantly slower: is the work the same (noise) or not? */
  private Status slowerStatus(
      List<SeriesDiff> series, CounterComparison counters, double band, List<String> notes) {
    boolean sameWork = !counters.worse && !counters.diffs.isEmpty();
    SeriesDiff other = contrary(series);
    if (sameWork && (band > 0 || other != null) && slowest(series).change() >= FAR_BEYOND_NOISE) {
      // too large to call noise, yet the work did not change: neither verdict can be trusted
      notes.add(
          "inconclusive: timing says "
              + Words.change(slowest(series))
              + " while the plan, buffers and rows per call did not change; re-run both on a quiet"
              + " machine");
      return Status.INCONCLUSIVE;
    }
    if (sameWork && band > 0) {
      // noisy runs and the same work (plan, buffers, rows): timing alone is not enough
      notes.add(
          "timing says slower, but the runs are noisy and the plan, buffers and rows per call"
              + " did not change: not called a regression");
      return Status.UNCHANGED;
    }
    if (sameWork && other != null) {
      // one configuration significantly slower while another is clearly faster, on the same
      // plan, buffers and rows: the machine moved between the runs, the query's work did not
      notes.add(
          "timing disagrees with itself ("
              + other.label()
              + " is "
              + Words.change(other)
              + ") and the plan, buffers and rows per call did not change: not called a"
              + " regression");
      return Status.UNCHANGED;
    }
    return Status.REGRESSED;
  }

  /** No series is significantly slower: the counters may still confirm a change. */
  private Status timingUnprovenStatus(
      QueryView b,
      QueryView c,
      List<SeriesDiff> series,
      CounterComparison counters,
      double band,
      List<String> notes) {
    boolean inconclusiveSlower =
        series.stream()
            .anyMatch(
                s ->
                    s.verdict() == SeriesVerdict.INCONCLUSIVE
                        && s.change() >= options.effectFloor());
    if (inconclusiveSlower && counters.worse) {
      notes.add(
          "slowdown not significant on its own; counted because the counters confirm it"
              + " (they barely vary between runs of the same code and data)");
      return Status.REGRESSED;
    }
    if (band > Math.log(1 + options.effectFloor()) && counters.buffersGrew) {
      // timing drowned in noise: more buffers per call (averaged over thousands of calls, steady
      // within 2% between runs of the same code) is more work on its own, new plan or not
      notes.add(
          "timing too noisy to judge (see the warning); counted because "
              + (counters.planChanged
                  ? "the plan changed and touches more buffers"
                  : "each call touches more buffers on the same plan"));
      return Status.REGRESSED;
    }
    SeriesDiff far =
        series.stream()
            .filter(s -> s.verdict() != SeriesVerdict.SLOWER)
            .filter(s -> s.change() >= FAR_BEYOND_NOISE)
            .max(Comparator.comparingDouble(SeriesDiff::change))
            .orElse(null);
    if (far != null) {
      // twice as slow is never "unchanged": without the evidence to prove or explain it, say so
      notes.add(
          "inconclusive: "
              + far.label()
              + " is "
              + Words.change(far)
              + " but "
              + MissingEvidence.describe(b, c, far, counters)
              + "; re-run both with ./run.sh ci");
      return Status.INCONCLUSIVE;
    }
    SeriesDiff faster =
        series.stream().filter(s -> s.verdict() == SeriesVerdict.FASTER).findFirst().orElse(null);
    if (faster != null && counters.worse && !allFaster(series)) {
      // more work by the counters, faster by one configuration only: a busy neighbour moved the
      // timing, and the counters do not lie about buffers (measured: a 25% larger read called
      // "improved" on one faster series at load 4-5)
      notes.add(
          "timing disagrees with itself ("
              + faster.label()
              + " is "
              + Words.change(faster)
              + ", the others are not) while the counters say more work: not called an"
              + " improvement");
      return Status.CHANGED;
    }
    if (faster != null) {
      return Status.IMPROVED;
    }
    if (counters.worse) {
      return Status.CHANGED;
    }
    if (series.stream().allMatch(s -> s.verdict() == SeriesVerdict.UNTESTED)) {
      // counters alone cannot say "unchanged" about time
      return Status.NOT_COMPARED;
    }
    return Status.UNCHANGED;
  }

  private static boolean allFaster(List<SeriesDiff> series) {
    return series.stream()
        .filter(s -> s.verdict() != SeriesVerdict.UNTESTED)
        .allMatch(s -> s.verdict() == SeriesVerdict.FASTER);
  }

  private static SeriesDiff slowest(List<SeriesDiff> series) {
    return series.stream()
        .filter(s -> s.verdict() == SeriesVerdict.SLOWER)
        .max(Comparator.comparingDouble(SeriesDiff::change))
        .orElseThrow();
  }

  /**
   * A series of a query that got slower elsewhere which moved the other way by at least the effect
   * floor, or null. A real change to a query's work slows all its configurations (or leaves some
   * unchanged, as added contention does); none gets clearly faster.
   */
  private SeriesDiff contrary(List<SeriesDiff> series) {
    return series.stream()
        .filter(s -> s.verdict() != SeriesVerdict.UNTESTED)
        .filter(s -> s.change() <= -options.effectFloor())
        .findFirst()
        .orElse(null);
  }

  /** Why the benchmark could not measure the query in a run, or null when it did. */
  private static String broken(QueryView q) {
    if (!"failed".equalsIgnoreCase(q.status())) {
      return null;
    }
    return q.reason() == null ? q.status() : q.reason();
  }
}

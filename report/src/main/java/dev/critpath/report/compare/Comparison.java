package dev.critpath.report.compare;

import java.util.List;

/**
 * The result of comparing a current run with a baseline: per query what changed, how sure we are,
 * and why when the evidence shows it.
 *
 * @param warnings things that limit the comparison (different datasets, settings, few replicates)
 * @param comparable false when the runs measured different datasets: numbers are shown but a
 *     regression may be the data's doing
 */
public record Comparison(
    Run baseline,
    Run current,
    CompareOptions options,
    boolean comparable,
    List<String> warnings,
    List<QueryDiff> queries) {

  /** Identifies one of the two runs. */
  public record Run(String runId, String path, Integer schemaVersion, String gitCommit) {}

  /** What happened to one query. */
  public enum Status {
    /** Slower beyond the effect floor: significantly, or confirmed by worse counters. */
    REGRESSED,
    /** Faster beyond the effect floor, significantly. */
    IMPROVED,
    /** No change beyond noise and the floor. */
    UNCHANGED,
    /** Timing unchanged but counters worse (plan changed, more buffers): a warning. */
    CHANGED,
    /** Only in the current run. */
    NEW,
    /** Only in the baseline. */
    REMOVED,
    /** In both runs but without data to compare (no replicates, no counters). */
    NOT_COMPARED,
    /**
     * In both runs, with timing that contradicts the work (twice as slow or worse, same plan,
     * buffers and rows): neither "unchanged" nor a regression can be said.
     */
    INCONCLUSIVE
  }

  /**
   * One query's comparison.
   *
   * @param series one entry per benchmark configuration (mode, threads, variant) in both runs
   * @param counters the near-deterministic second signal
   * @param causes why it got slower (or changed), in words; empty when the evidence is silent
   * @param notes anything that limited this query's comparison
   */
  public record QueryDiff(
      String name,
      Status status,
      List<SeriesDiff> series,
      List<CounterDiff> counters,
      List<String> causes,
      List<String> notes) {

    /**
     * The series the summary shows: the most significant worst change, else the first. It agrees
     * with the status: a query that got worse shows a configuration that got slower (null when none
     * did), one that improved shows one that got faster.
     */
    public SeriesDiff primary() {
      SeriesDiff best = null;
      for (SeriesDiff s : series) {
        if (agrees(s) && (best == null || s.rank() > best.rank())) {
          best = s;
        }
      }
      return best;
    }

    /**
     * The configurations that moved against the status by at least {@code floor}: faster on a query
     * that got worse, slower on one that improved.
     */
    public List<SeriesDiff> contrary(double floor) {
      return series.stream()
          .filter(s -> s.verdict() != SeriesVerdict.UNTESTED)
          .filter(s -> worse() ? s.change() <= -floor : improved() && s.change() >= floor)
          .toList();
    }

    private boolean agrees(SeriesDiff s) {
      return worse() ? s.change() > 0 : !improved() || s.change() < 0;
    }

    private boolean worse() {
      return status == Status.REGRESSED
          || status == Status.CHANGED
          || status == Status.INCONCLUSIVE;
    }

    private boolean improved() {
      return status == Status.IMPROVED;
    }
  }

  /** What one series' verdict is. */
  public enum SeriesVerdict {
    SLOWER,
    FASTER,
    SAME,
    /** The change is above the floor but the replicates cannot tell it from noise. */
    INCONCLUSIVE,
    /** Too few replicates to test at all, and no change beyond the floor. */
    UNTESTED
  }

  /**
   * One benchmark configuration compared.
   *
   * @param label mode, threads and params in words
   * @param unit ms/op for time modes, ops/s for throughput
   * @param change relative slowdown, positive = worse (for throughput: baseline / current - 1)
   * @param pValue the rank test's two-sided p-value, null when untested
   * @param adjustedP after the multiple-testing correction, null when untested
   * @param replicateUnit fork or iteration
   */
  public record SeriesDiff(
      String key,
      String label,
      String mode,
      int threads,
      boolean higherIsBetter,
      String unit,
      String replicateUnit,
      List<Double> baseline,
      List<Double> current,
      double baselineMedian,
      double currentMedian,
      double change,
      Double pValue,
      Double adjustedP,
      SeriesVerdict verdict) {

    /** Ordering for {@link QueryDiff#primary()}: slower first, then by size of the change. */
    double rank() {
      double weight =
          verdict == SeriesVerdict.SLOWER
              ? 3
              : verdict == SeriesVerdict.FASTER ? 2 : verdict == SeriesVerdict.INCONCLUSIVE ? 1 : 0;
      return weight * 1000 + Math.abs(change);
    }
  }

  /**
   * A near-deterministic counter in both runs.
   *
   * @param worse whether it moved in the costly direction beyond the tolerance
   */
  public record CounterDiff(String name, String baseline, String current, boolean worse) {}

  public List<QueryDiff> regressions() {
    return queries.stream().filter(q -> q.status() == Status.REGRESSED).toList();
  }

  public long count(Status status) {
    return queries.stream().filter(q -> q.status() == status).count();
  }

  /** Whether anything at all could be compared. */
  public boolean anythingCompared() {
    return queries.stream().anyMatch(q -> !q.series().isEmpty() || !q.counters().isEmpty());
  }
}

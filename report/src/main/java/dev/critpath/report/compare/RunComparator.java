package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.QueryDiff;
import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.compare.Comparison.Status;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.VariantView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a current run with a baseline, query by query.
 *
 * <p>Timing: each benchmark configuration's replicates (per-fork means, or per-iteration scores
 * when there are too few forks; never pooled samples) go through a two-sided Mann-Whitney U test;
 * p-values are corrected for the number of configurations tested (Holm by default). A configuration
 * is slower when the corrected p-value is below alpha <em>and</em> the median got worse by at least
 * the effect floor (10%): significance alone flags changes too small to matter, size alone flags
 * noise.
 *
 * <p>Counters: shared buffers per call, rows per call and the plan's shape hardly vary between runs
 * of the same code on the same data, so they confirm a timing change (a slowdown above the floor
 * that the replicates cannot prove still counts when the counters got worse) and explain it (plan
 * changed, index gone, more buffers).
 *
 * <p>The parts: {@link SeriesMatcher} and {@link PendingSeries} (timing per configuration), {@link
 * TimingNoise} (how far timing can be trusted), {@link CounterComparison} (the counters), {@link
 * ConsistencyRule} (the status from both), {@link RunChecks} (dataset and environment).
 */
public final class RunComparator {
  private final CompareOptions options;
  private final ConsistencyRule rule;

  public RunComparator(CompareOptions options) {
    this.options = options;
    this.rule = new ConsistencyRule(options);
  }

  public Comparison compare(RunView baseline, RunView current) {
    List<String> warnings = new ArrayList<>();
    boolean comparable = RunChecks.datasetsMatch(baseline, current, warnings);
    RunChecks.environmentWarnings(baseline, current, warnings);

    Set<String> names = new LinkedHashSet<>();
    baseline.queries().forEach(q -> names.add(q.name()));
    current.queries().forEach(q -> names.add(q.name()));

    Map<String, List<PendingSeries>> pendingByQuery = seriesTested(baseline, current, names);
    List<PendingSeries> tested = correct(pendingByQuery);
    TimingNoise.fewReplicatesWarning(options, tested, pendingByQuery, warnings);
    double band = TimingNoise.band(options, pendingByQuery, warnings);

    List<QueryDiff> diffs = new ArrayList<>();
    for (String name : names) {
      QueryView b = baseline.query(name);
      QueryView c = current.query(name);
      if (b == null) {
        diffs.add(new QueryDiff(name, Status.NEW, List.of(), List.of(), List.of(), List.of()));
      } else if (c == null) {
        diffs.add(new QueryDiff(name, Status.REMOVED, List.of(), List.of(), List.of(), List.of()));
      } else {
        diffs.add(query(b, c, pendingByQuery.get(name), current, comparable, band));
      }
    }
    return new Comparison(
        RunChecks.run(baseline),
        RunChecks.run(current),
        options,
        comparable,
        List.copyOf(warnings),
        diffs);
  }

  /** First pass: the series of queries in both runs, with raw p-values. */
  private Map<String, List<PendingSeries>> seriesTested(
      RunView baseline, RunView current, Set<String> names) {
    Map<String, List<PendingSeries>> pendingByQuery = new LinkedHashMap<>();
    for (String name : names) {
      if (baseline.query(name) != null && current.query(name) != null) {
        pendingByQuery.put(
            name, SeriesMatcher.series(options, name, baseline.jmh(), current.jmh()));
      }
    }
    return pendingByQuery;
  }

  /** Corrects all tests' p-values at once; returns the tested series. */
  private List<PendingSeries> correct(Map<String, List<PendingSeries>> pendingByQuery) {
    List<PendingSeries> tested = new ArrayList<>();
    pendingByQuery
        .values()
        .forEach(s -> s.stream().filter(p -> p.pValue != null).forEach(tested::add));
    double[] raw = tested.stream().mapToDouble(p -> p.pValue).toArray();
    double[] adjusted = options.correction().adjust(raw);
    for (int i = 0; i < tested.size(); i++) {
      tested.get(i).adjustedP = adjusted[i];
    }
    return tested;
  }

  private QueryDiff query(
      QueryView b,
      QueryView c,
      List<PendingSeries> pending,
      RunView current,
      boolean comparable,
      double band) {
    List<String> notes = new ArrayList<>();
    List<SeriesDiff> series = new ArrayList<>();
    for (PendingSeries p : pending) {
      series.add(p.finish(options, band));
      if (p.note != null) {
        notes.add(p.note);
      }
    }
    if (pending.isEmpty()) {
      notes.add("no JMH replicates in both runs (jmh.json missing or no matching configuration)");
    }
    outages(b, "baseline", notes);
    outages(c, "current", notes);

    CounterComparison counters = CounterComparison.of(options, b, c, current);
    List<String> causes = new ArrayList<>(counters.causes);
    Status status = rule.status(b, c, series, counters, band, notes, causes);
    if ((status == Status.REGRESSED || status == Status.CHANGED) && !comparable) {
      causes.add("the datasets differ (see the warning above): the data may explain it");
    }
    if (status != Status.REGRESSED && status != Status.CHANGED) {
      causes.clear();
    }
    return new QueryDiff(b.name(), status, series, counters.diffs, causes, notes);
  }

  /** A run that lost connections while measuring a query: its numbers include the outage. */
  private static void outages(QueryView q, String run, List<String> notes) {
    for (VariantView v : q.variants()) {
      if (v.connectionErrors() != null) {
        notes.add(
            "the "
                + run
                + " run lost "
                + v.connectionErrors().describe()
                + " measuring "
                + v.name()
                + ": its numbers include the outage");
      }
    }
  }
}

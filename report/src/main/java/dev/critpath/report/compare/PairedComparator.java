package dev.critpath.report.compare;

import dev.critpath.run.PairedRounds;
import dev.critpath.run.PairedRounds.PlanSummary;
import dev.critpath.run.PairedRounds.Series;
import dev.critpath.run.PairedRounds.SideIdentity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * Judges the paired rounds of an interleaved A/B run: per series the Wilcoxon signed-rank test on
 * the per-round log ratios (candidate / baseline), corrected for testing many series at once
 * ({@link Correction}), with compare's effect floor. Pairing is the point: a round's two values
 * were measured seconds apart on the same machine state, so the drift between rounds drops out of
 * the ratio, where an unpaired rank test (compare's) must see it as noise.
 */
public final class PairedComparator {
  /** Below this many rounds the test is not run (its smallest p-value is 2 / 2^n = 1/16). */
  public static final int MIN_ROUNDS = 5;

  /** The exact signed-rank distribution is used up to this many rounds (commons-math's limit). */
  private static final int EXACT_LIMIT = 30;

  /**
   * A slowdown this large (x2) without significance is never "unchanged": the query is inconclusive
   * and the gate fails until it is re-run.
   */
  static final double FAR_BEYOND = 1.0;

  private static final String REPLICATE_UNIT = "round (paired)";

  private final CompareOptions options;

  public PairedComparator(CompareOptions options) {
    this.options = options;
  }

  /** The comparison the usual writers render, and the verdicts for run.json. */
  public record Judged(Comparison comparison, List<PairedRounds.Verdict> verdicts) {}

  public Judged judge(PairedRounds rounds, String runId, String runPath) {
    List<Series> tested = new ArrayList<>();
    List<Double> pValues = new ArrayList<>();
    for (Series s : rounds.series()) {
      if (s.failure() == null && s.baseline().size() >= MIN_ROUNDS) {
        tested.add(s);
        pValues.add(pValue(s));
      }
    }
    double[] adjusted =
        options.correction().adjust(pValues.stream().mapToDouble(Double::doubleValue).toArray());
    Map<String, List<Comparison.SeriesDiff>> byPath = new LinkedHashMap<>();
    Map<String, List<String>> failures = new LinkedHashMap<>();
    List<PairedRounds.Verdict> verdicts = new ArrayList<>();
    for (Series s : rounds.series()) {
      byPath.computeIfAbsent(s.path(), k -> new ArrayList<>());
      List<String> causes = causes(rounds, s.path());
      if (s.failure() != null) {
        failures.computeIfAbsent(s.path(), k -> new ArrayList<>()).add(s.failure());
        verdicts.add(
            new PairedRounds.Verdict(
                s.path(), s.variant(), null, null, null, "FAILED", List.of(s.failure())));
        continue;
      }
      int i = tested.indexOf(s);
      Double p = i < 0 ? null : pValues.get(i);
      Double adj = i < 0 ? null : adjusted[i];
      Comparison.SeriesDiff diff = diff(s, p, adj);
      byPath.get(s.path()).add(diff);
      verdicts.add(
          new PairedRounds.Verdict(
              s.path(),
              s.variant(),
              round(diff.change()),
              p,
              adj,
              diff.verdict().name(),
              diff.verdict() == Comparison.SeriesVerdict.SLOWER ? causes : List.of()));
    }
    List<Comparison.QueryDiff> queries = new ArrayList<>();
    for (var e : byPath.entrySet()) {
      queries.add(query(rounds, e.getKey(), e.getValue(), failures.get(e.getKey())));
    }
    Comparison comparison =
        new Comparison(
            new Comparison.Run(runId + " baseline", side(rounds.baseline()), null, null),
            new Comparison.Run(runId + " candidate", side(rounds.candidate()), null, null),
            options,
            true,
            warnings(rounds, tested.size()),
            queries);
    return new Judged(comparison, verdicts);
  }

  /** Two-sided Wilcoxon signed-rank p-value of the per-round log ratios against 0. */
  static double pValue(Series s) {
    double[] base = logs(s.baseline());
    double[] cand = logs(s.candidate());
    return new WilcoxonSignedRankTest()
        .wilcoxonSignedRankTest(cand, base, base.length <= EXACT_LIMIT);
  }

  /** candidate / baseline - 1 as the median of the per-round ratios. */
  static double medianChange(Series s) {
    double[] ratios = new double[s.baseline().size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = s.candidate().get(i) / s.baseline().get(i);
    }
    return median(ratios) - 1;
  }

  private Comparison.SeriesDiff diff(Series s, Double p, Double adj) {
    double change = medianChange(s);
    Comparison.SeriesVerdict verdict;
    if (p == null) {
      verdict = Comparison.SeriesVerdict.UNTESTED;
    } else if (adj < options.alpha() && change >= options.effectFloor()) {
      verdict = Comparison.SeriesVerdict.SLOWER;
    } else if (adj < options.alpha() && -change / (1 + change) >= options.effectFloor()) {
      // the mirror of SLOWER: baseline / candidate time >= 1 + floor
      verdict = Comparison.SeriesVerdict.FASTER;
    } else if (Math.abs(change) >= options.effectFloor()) {
      verdict = Comparison.SeriesVerdict.INCONCLUSIVE;
    } else {
      verdict = Comparison.SeriesVerdict.SAME;
    }
    double[] b = s.baseline().stream().mapToDouble(Double::doubleValue).toArray();
    double[] c = s.candidate().stream().mapToDouble(Double::doubleValue).toArray();
    return new Comparison.SeriesDiff(
        s.path() + "/" + s.variant() + "/paired",
        s.variant() + ", " + s.baseline().size() + " paired rounds of " + s.calls() + " calls",
        "paired",
        1,
        false,
        PairedRounds.UNIT,
        REPLICATE_UNIT,
        s.baseline(),
        s.candidate(),
        median(b),
        median(c),
        change,
        p,
        adj,
        verdict);
  }

  private Comparison.QueryDiff query(
      PairedRounds rounds, String path, List<Comparison.SeriesDiff> series, List<String> failed) {
    List<String> causes = causes(rounds, path);
    List<String> notes = new ArrayList<>();
    Comparison.Status status;
    if (failed != null && failed.stream().anyMatch(f -> f.startsWith("on the candidate"))) {
      status = Comparison.Status.REGRESSED;
      causes = new ArrayList<>(causes);
      for (String f : failed) {
        causes.add("fails " + f);
      }
    } else if (failed != null && series.isEmpty()) {
      status = Comparison.Status.NOT_COMPARED;
      failed.forEach(f -> notes.add("not measured " + f));
    } else if (series.stream().anyMatch(s -> s.verdict() == Comparison.SeriesVerdict.SLOWER)) {
      status = Comparison.Status.REGRESSED;
    } else if (series.stream().anyMatch(s -> s.verdict() == Comparison.SeriesVerdict.FASTER)) {
      status = Comparison.Status.IMPROVED;
    } else if (series.stream()
        .anyMatch(
            s ->
                s.verdict() == Comparison.SeriesVerdict.INCONCLUSIVE && s.change() >= FAR_BEYOND)) {
      status = Comparison.Status.INCONCLUSIVE;
      notes.add(
          "x2 slower or worse in the median round, yet the rounds disagree: re-run with more"
              + " --rounds");
    } else if (series.stream().allMatch(s -> s.verdict() == Comparison.SeriesVerdict.UNTESTED)) {
      status = Comparison.Status.NOT_COMPARED;
      notes.add("fewer than " + MIN_ROUNDS + " rounds: not tested");
    } else {
      status = causes.isEmpty() ? Comparison.Status.UNCHANGED : Comparison.Status.CHANGED;
    }
    return new Comparison.QueryDiff(path, status, series, counters(rounds, path), causes, notes);
  }

  /** Why a path may have got slower, from the plans both sides captured before the rounds. */
  static List<String> causes(PairedRounds rounds, String path) {
    PlanSummary a = rounds.baseline().plans().get(path);
    PlanSummary b = rounds.candidate().plans().get(path);
    List<String> out = new ArrayList<>();
    if (a == null || b == null || a.fingerprint() == null || b.fingerprint() == null) {
      return out;
    }
    for (String index : a.indexes()) {
      if (b.indexes().contains(index)) {
        continue;
      }
      boolean gone =
          rounds.candidate().indexes() != null && !rounds.candidate().indexes().contains(index);
      out.add(
          "index "
              + index
              + (gone ? " gone (not in the candidate schema)" : " no longer used by the plan"));
    }
    if (!a.fingerprint().equals(b.fingerprint())) {
      out.add("plan changed: " + a.shape() + " → " + b.shape());
    }
    if (a.sharedBuffers() != null
        && b.sharedBuffers() != null
        && b.sharedBuffers() > a.sharedBuffers() * (1 + CompareOptions.DEFAULT_COUNTER_TOLERANCE)) {
      out.add(
          String.format(
              Locale.ROOT,
              "shared buffers per call %d → %d",
              a.sharedBuffers(),
              b.sharedBuffers()));
    }
    return out;
  }

  private static List<Comparison.CounterDiff> counters(PairedRounds rounds, String path) {
    PlanSummary a = rounds.baseline().plans().get(path);
    PlanSummary b = rounds.candidate().plans().get(path);
    List<Comparison.CounterDiff> out = new ArrayList<>();
    if (a == null || b == null || a.fingerprint() == null || b.fingerprint() == null) {
      return out;
    }
    out.add(
        new Comparison.CounterDiff(
            "plan", a.fingerprint(), b.fingerprint(), !a.fingerprint().equals(b.fingerprint())));
    out.add(
        new Comparison.CounterDiff(
            "indexes",
            String.join(", ", a.indexes()),
            String.join(", ", b.indexes()),
            !b.indexes().containsAll(a.indexes())));
    if (a.sharedBuffers() != null && b.sharedBuffers() != null) {
      out.add(
          new Comparison.CounterDiff(
              "shared buffers/call",
              a.sharedBuffers().toString(),
              b.sharedBuffers().toString(),
              b.sharedBuffers()
                  > a.sharedBuffers() * (1 + CompareOptions.DEFAULT_COUNTER_TOLERANCE)));
    }
    return out;
  }

  private static List<String> warnings(PairedRounds rounds, int tested) {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "interleaved A/B: %d rounds, baseline and candidate measured alternately (ABBA) on one"
                + " server, dataset %s (%s, seed %d) on both",
            rounds.rounds(),
            rounds.dataset().fingerprint(),
            rounds.dataset().profile(),
            rounds.dataset().seed()));
    if (tested > 0 && rounds.rounds() >= MIN_ROUNDS) {
      double smallest = 2 / Math.pow(2, Math.min(rounds.rounds(), 1000));
      out.add(
          String.format(
              Locale.ROOT,
              "%d series tested; the smallest p-value %d rounds can give is %.2g",
              tested,
              rounds.rounds(),
              smallest));
    }
    return out;
  }

  private static String side(SideIdentity s) {
    return "schema "
        + s.schema()
        + " ("
        + s.schemaHash()
        + "), queries "
        + String.join(" + ", s.queries())
        + " ("
        + s.queriesHash()
        + ")";
  }

  private static double[] logs(List<Double> values) {
    return values.stream().mapToDouble(Math::log).toArray();
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double round(double x) {
    return Math.round(x * 10_000) / 10_000.0;
  }
}

package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.CounterDiff;
import dev.critpath.report.compare.Comparison.QueryDiff;
import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.compare.Comparison.SeriesVerdict;
import dev.critpath.report.compare.Comparison.Status;
import dev.critpath.report.env.Environment;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.JmhResult;
import dev.critpath.report.model.PlanNode;
import dev.critpath.report.model.PlanView;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.VariantView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
 */
public final class RunComparator {
  /**
   * A slowdown (as a fraction: 1.0 is twice as slow) that run-to-run noise on one machine does not
   * explain; one this large with unchanged counters is not called "unchanged".
   */
  static final double FAR_BEYOND_NOISE = 1.0;

  /** A block or two either way is page-boundary noise, not a different access path. */
  private static final double MIN_BLOCKS_SERVER = 2;

  /** One captured execution: more than double, and by more than a few pages. */
  private static final double PLAN_BUFFER_TOLERANCE = 1.0;

  private static final double MIN_BLOCKS_PLAN = 8;

  /** Fewer series than this give no usable spread. */
  private static final int NOISE_BAND_MIN_SERIES = 12;

  /** MAD to standard deviation for normal data. */
  private static final double MAD_TO_SIGMA = 1.4826;

  private final CompareOptions options;

  public RunComparator(CompareOptions options) {
    this.options = options;
  }

  public Comparison compare(RunView baseline, RunView current) {
    List<String> warnings = new ArrayList<>();
    boolean comparable = datasetsMatch(baseline, current, warnings);
    environmentWarnings(baseline, current, warnings);

    Set<String> names = new LinkedHashSet<>();
    baseline.queries().forEach(q -> names.add(q.name()));
    current.queries().forEach(q -> names.add(q.name()));

    // first pass: series and their raw p-values, so the correction sees all tests at once
    Map<String, List<Pending>> pendingByQuery = new LinkedHashMap<>();
    List<Pending> tested = new ArrayList<>();
    for (String name : names) {
      QueryView b = baseline.query(name);
      QueryView c = current.query(name);
      if (b == null || c == null) {
        continue;
      }
      List<Pending> series = series(name, baseline.jmh(), current.jmh());
      pendingByQuery.put(name, series);
      series.stream().filter(p -> p.pValue != null).forEach(tested::add);
    }
    double[] raw = tested.stream().mapToDouble(p -> p.pValue).toArray();
    double[] adjusted = options.correction().adjust(raw);
    for (int i = 0; i < tested.size(); i++) {
      tested.get(i).adjustedP = adjusted[i];
    }
    fewReplicatesWarning(tested, pendingByQuery, warnings);
    double band = noiseBand(pendingByQuery, warnings);

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
        run(baseline), run(current), options, comparable, List.copyOf(warnings), diffs);
  }

  // ------------------------------------------------------------------ per query

  private QueryDiff query(
      QueryView b,
      QueryView c,
      List<Pending> pending,
      RunView current,
      boolean comparable,
      double band) {
    List<String> notes = new ArrayList<>();
    List<SeriesDiff> series = new ArrayList<>();
    for (Pending p : pending) {
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

    Counters counters = counters(b, c, current);
    boolean slower = series.stream().anyMatch(s -> s.verdict() == SeriesVerdict.SLOWER);
    boolean inconclusiveSlower =
        series.stream()
            .anyMatch(
                s ->
                    s.verdict() == SeriesVerdict.INCONCLUSIVE
                        && s.change() >= options.effectFloor());
    boolean faster = series.stream().anyMatch(s -> s.verdict() == SeriesVerdict.FASTER);

    Status status;
    List<String> causes = new ArrayList<>(counters.causes);
    String broke = broken(c);
    if (broke != null && broken(b) == null) {
      // worse than slower: it stopped working
      status = Status.REGRESSED;
      causes.add(0, "the current run could not measure it: " + broke);
    } else if (broke != null) {
      status = Status.NOT_COMPARED;
      notes.add("neither run could measure it: " + broke);
    } else if (slower
        && !counters.worse
        && !counters.diffs.isEmpty()
        && (band > 0 || contrary(series) != null)
        && maxSlowdown(series) >= FAR_BEYOND_NOISE) {
      // too large to call noise, yet the work did not change: neither verdict can be trusted
      status = Status.INCONCLUSIVE;
      notes.add(
          "inconclusive: timing says "
              + Words.change(slowest(series))
              + " while the plan, buffers and rows per call did not change; re-run both on a"
              + " quiet machine");
    } else if (slower && band > 0 && !counters.worse && !counters.diffs.isEmpty()) {
      // noisy runs and the same work (plan, buffers, rows): timing alone is not enough
      status = Status.UNCHANGED;
      notes.add(
          "timing says slower, but the runs are noisy and the plan, buffers and rows per call"
              + " did not change: not called a regression");
    } else if (slower && !counters.worse && !counters.diffs.isEmpty() && contrary(series) != null) {
      // one configuration significantly slower while another is clearly faster, on the same
      // plan, buffers and rows: the machine moved between the runs, the query's work did not
      SeriesDiff other = contrary(series);
      status = Status.UNCHANGED;
      notes.add(
          "timing disagrees with itself ("
              + other.label()
              + " is "
              + Words.change(other)
              + ") and the plan, buffers and rows per call did not change: not called a"
              + " regression");
    } else if (slower) {
      status = Status.REGRESSED;
    } else if (inconclusiveSlower && counters.worse) {
      status = Status.REGRESSED;
      notes.add(
          "slowdown not significant on its own; counted because the counters confirm it"
              + " (they barely vary between runs of the same code and data)");
    } else if (band > Math.log(1 + options.effectFloor())
        && counters.planChanged
        && counters.buffersGrew) {
      // timing drowned in noise: a new plan that touches more buffers is worse on its own
      status = Status.REGRESSED;
      notes.add(
          "timing too noisy to judge (see the warning); counted because the plan changed and"
              + " touches more buffers");
    } else if (faster) {
      status = Status.IMPROVED;
    } else if (counters.worse) {
      status = Status.CHANGED;
    } else if (series.stream().allMatch(s -> s.verdict() == SeriesVerdict.UNTESTED)) {
      // counters alone cannot say "unchanged" about time
      status = Status.NOT_COMPARED;
    } else {
      status = Status.UNCHANGED;
    }
    if ((status == Status.REGRESSED || status == Status.CHANGED) && !comparable) {
      causes.add("the datasets differ (see the warning above): the data may explain it");
    }
    if (status != Status.REGRESSED && status != Status.CHANGED) {
      causes.clear();
    }
    return new QueryDiff(b.name(), status, series, counters.diffs, causes, notes);
  }

  private static double maxSlowdown(List<SeriesDiff> series) {
    return slowest(series).change();
  }

  private static SeriesDiff slowest(List<SeriesDiff> series) {
    return series.stream()
        .filter(s -> s.verdict() == SeriesVerdict.SLOWER)
        .max(java.util.Comparator.comparingDouble(SeriesDiff::change))
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

  /** The second signal: counters both runs recorded, and what they say about a change. */
  private Counters counters(QueryView b, QueryView c, RunView current) {
    Counters out = new Counters();
    PlanView pb = b.plan();
    PlanView pc = c.plan();
    boolean planChanged = false;
    // shapes computed here from both raw plans compare alike; otherwise trust the fingerprints
    String shapeB = pb.shape();
    String shapeC = pc.shape();
    if (shapeB != null && shapeC != null && pb.fromRawPlan() == pc.fromRawPlan()) {
      planChanged = !shapeB.equals(shapeC);
      out.diffs.add(new CounterDiff("plan", shapeB, shapeC, planChanged));
    } else if (pb.fingerprint() != null && pc.fingerprint() != null) {
      planChanged = !pb.fingerprint().equals(pc.fingerprint());
      out.diffs.add(
          new CounterDiff("plan fingerprint", pb.fingerprint(), pc.fingerprint(), planChanged));
    }
    if (planChanged) {
      out.worse = true;
      out.planChanged = true;
      out.causes.add(
          "the plan changed: "
              + (shapeB != null && shapeC != null
                  ? shapeB + "  ⇒  " + shapeC
                  : "fingerprint " + pb.fingerprint() + " ⇒ " + pc.fingerprint()));
      PlanNode hot = hotNode(pc);
      if (hot != null) {
        out.causes.add("hot node now: " + hot.label());
      }
    }
    for (String index : pb.indexesUsed()) {
      if (!pc.indexesUsed().contains(index)) {
        out.worse = true;
        Boolean exists = indexExists(current.environment(), index);
        if (Boolean.FALSE.equals(exists)) {
          out.causes.add(
              "index "
                  + index
                  + " is gone: the baseline's plan used it, the current database has no such index");
        } else {
          out.causes.add("the plan no longer uses index " + index);
        }
      }
    }

    // pg_stat_statements averages thousands of calls; a captured plan is one execution, whose
    // buffer count moves with hint bits and page pruning, so it must move much more to count
    Double bufB = b.server().sharedBuffersPerCall();
    Double bufC = c.server().sharedBuffersPerCall();
    double tolerance = options.counterTolerance();
    double minBlocks = MIN_BLOCKS_SERVER;
    String label = "shared buffers per call";
    if (bufB == null || bufC == null) {
      bufB = pb.sharedBuffers();
      bufC = pc.sharedBuffers();
      tolerance = PLAN_BUFFER_TOLERANCE;
      minBlocks = MIN_BLOCKS_PLAN;
      label = "shared buffers of the captured plan";
    }
    if (bufB != null && bufC != null) {
      boolean worse = bufC > bufB * (1 + tolerance) && bufC - bufB >= minBlocks;
      out.diffs.add(new CounterDiff(label, Fmt.num(bufB), Fmt.num(bufC), worse));
      if (worse) {
        out.worse = true;
        out.buffersGrew = true;
        out.causes.add(
            label
                + " grew "
                + Fmt.num(bufB)
                + " → "
                + Fmt.num(bufC)
                + " (×"
                + Fmt.num(bufC / Math.max(bufB, 1e-9))
                + ")");
      }
    }
    Double rowsB = rowsPerCall(b);
    Double rowsC = rowsPerCall(c);
    if (rowsB != null && rowsC != null) {
      boolean differ = Math.abs(rowsC - rowsB) > options.counterTolerance() * Math.max(rowsB, 1);
      out.diffs.add(new CounterDiff("rows per call", Fmt.num(rowsB), Fmt.num(rowsC), false));
      if (differ) {
        out.causes.add(
            "rows per call changed "
                + Fmt.num(rowsB)
                + " → "
                + Fmt.num(rowsC)
                + ": the query now does different work (data or parameters differ)");
      }
    }
    return out;
  }

  private static PlanNode hotNode(PlanView plan) {
    if (plan.root() == null || plan.hotNodeId() < 0) {
      return null;
    }
    return dev.critpath.report.model.PlanParser.flatten(plan.root()).stream()
        .filter(n -> n.id() == plan.hotNodeId())
        .findFirst()
        .orElse(null);
  }

  /**
   * Whether the run's environment lists the index (by bare or schema-qualified name); null when
   * unknown.
   */
  private static Boolean indexExists(Environment env, String index) {
    if (env == null || env.postgres() == null || env.postgres().indexes() == null) {
      return null;
    }
    for (String qualified : env.postgres().indexes().keySet()) {
      if (qualified.equals(index) || qualified.endsWith("." + index)) {
        return true;
      }
    }
    return false;
  }

  static Double rowsPerCall(QueryView q) {
    if (q.server().rowsPerCall() != null) {
      return q.server().rowsPerCall();
    }
    PlanNode root = q.plan().root();
    return root == null ? null : root.rows();
  }

  /** Why the benchmark could not measure the query in a run, or null when it did. */
  private static String broken(QueryView q) {
    if (!"failed".equalsIgnoreCase(q.status())) {
      return null;
    }
    return q.reason() == null ? q.status() : q.reason();
  }

  /** What the counters of one query say. */
  private static final class Counters {
    final List<CounterDiff> diffs = new ArrayList<>();
    final List<String> causes = new ArrayList<>();
    boolean worse;
    boolean planChanged;
    boolean buffersGrew;
  }

  // ------------------------------------------------------------------ series

  /** A series being compared: replicates known, waiting for the corrected p-value. */
  private static final class Pending {
    String key;
    String label;
    JmhResult base;
    JmhResult cur;
    String unit;
    boolean forkMeans;
    double[] b;
    double[] c;
    Double pValue;
    Double adjustedP;
    String note;

    /**
     * Sampling variance of {@link #logRatio()}: each side's median of n log values has variance
     * about (pi / 2) sd^2 / n.
     */
    double samplingVariance() {
      return medianVariance(b) + medianVariance(c);
    }

    private static double medianVariance(double[] values) {
      if (values.length < 2) {
        return 0;
      }
      double mean = 0;
      for (double v : values) {
        mean += Math.log(v);
      }
      mean /= values.length;
      double ss = 0;
      for (double v : values) {
        ss += (Math.log(v) - mean) * (Math.log(v) - mean);
      }
      return Math.PI / 2 * ss / (values.length - 1) / values.length;
    }

    /** Time-equivalent log ratio: positive when the current run is slower. */
    double logRatio() {
      double mb = median(b);
      double mc = median(c);
      return base.higherIsBetter() ? Math.log(mb / mc) : Math.log(mc / mb);
    }

    /**
     * The verdict.
     *
     * @param band the comparison's noise band (log ratio): a change must exceed it as well
     */
    SeriesDiff finish(CompareOptions o, double band) {
      double mb = median(b);
      double mc = median(c);
      boolean higher = base.higherIsBetter();
      double change = higher ? mb / mc - 1 : mc / mb - 1;
      SeriesVerdict verdict;
      if (pValue == null) {
        // one replicate a side: a large change can still be confirmed by the counters
        verdict =
            Math.abs(change) >= o.effectFloor()
                ? SeriesVerdict.INCONCLUSIVE
                : SeriesVerdict.UNTESTED;
      } else if (adjustedP < o.alpha() && change >= o.effectFloor() && logRatio() >= band) {
        verdict = SeriesVerdict.SLOWER;
      } else if (adjustedP < o.alpha()
          && -change / (1 + change) >= o.effectFloor()
          && -logRatio() >= band) {
        // the mirror of SLOWER: baseline / current time >= 1 + floor
        verdict = SeriesVerdict.FASTER;
      } else if (Math.abs(change) >= o.effectFloor()) {
        verdict = SeriesVerdict.INCONCLUSIVE;
      } else {
        verdict = SeriesVerdict.SAME;
      }
      return new SeriesDiff(
          key,
          label,
          base.mode(),
          base.threads(),
          higher,
          unit,
          forkMeans ? "fork" : "iteration",
          boxed(b),
          boxed(c),
          mb,
          mc,
          change,
          pValue,
          adjustedP,
          verdict);
    }
  }

  private List<Pending> series(String name, List<JmhResult> baseJmh, List<JmhResult> curJmh) {
    Map<String, JmhResult> base = byKey(name, baseJmh);
    Map<String, JmhResult> cur = byKey(name, curJmh);
    List<Pending> out = new ArrayList<>();
    for (Map.Entry<String, JmhResult> e : base.entrySet()) {
      JmhResult c = cur.get(e.getKey());
      if (c == null) {
        continue;
      }
      Pending p = new Pending();
      p.key = e.getKey();
      p.base = e.getValue();
      p.cur = c;
      p.label = label(name, e.getValue());
      p.unit = p.base.higherIsBetter() ? "ops/s" : "ms/op";
      p.forkMeans = useForkMeans(options, p.base, c);
      p.b = replicates(p.base, p.forkMeans);
      p.c = replicates(c, p.forkMeans);
      if (p.b.length < 2 || p.c.length < 2) {
        p.note = p.label + ": fewer than 2 replicates in a run, not tested";
      } else {
        p.pValue = MannWhitney.pValue(p.b, p.c);
      }
      if (p.b.length == 0 || p.c.length == 0) {
        continue;
      }
      out.add(p);
    }
    return out;
  }

  /** The jmh.json entries of one query, keyed by configuration (method, mode, threads, params). */
  private static Map<String, JmhResult> byKey(String name, List<JmhResult> all) {
    Map<String, JmhResult> out = new TreeMap<>();
    for (JmhResult r : all) {
      if (!belongsTo(name, r)) {
        continue;
      }
      out.put(key(name, r), r);
    }
    return out;
  }

  private static boolean belongsTo(String name, JmhResult r) {
    if (r.params().containsValue(name)) {
      return true;
    }
    return r.params().isEmpty()
        && r.method()
            .toLowerCase(java.util.Locale.ROOT)
            .equals(name.replace("_", "").toLowerCase(java.util.Locale.ROOT));
  }

  static String key(String name, JmhResult r) {
    StringBuilder sb =
        new StringBuilder(r.benchmark())
            .append('|')
            .append(r.mode())
            .append('|')
            .append(r.threads());
    new TreeMap<>(r.params())
        .forEach(
            (k, v) -> {
              if (!v.equals(name)) {
                sb.append('|').append(k).append('=').append(v);
              }
            });
    return sb.toString();
  }

  private static String label(String name, JmhResult r) {
    List<String> parts = new ArrayList<>();
    parts.add(r.mode());
    parts.add(r.threads() + (r.threads() == 1 ? " thread" : " threads"));
    new TreeMap<>(r.params())
        .forEach(
            (k, v) -> {
              if (!v.equals(name)) {
                parts.add(k + "=" + v);
              }
            });
    return String.join(", ", parts);
  }

  static boolean useForkMeans(CompareOptions o, JmhResult a, JmhResult b) {
    switch (o.replicates()) {
      case FORK:
        return true;
      case ITERATION:
        return false;
      default:
        return a.iterations().size() >= CompareOptions.MIN_FORKS_FOR_FORK_MEANS
            && b.iterations().size() >= CompareOptions.MIN_FORKS_FOR_FORK_MEANS;
    }
  }

  static double[] replicates(JmhResult r, boolean forkMeans) {
    List<Double> out = new ArrayList<>();
    for (List<Double> fork : r.iterations()) {
      if (fork.isEmpty()) {
        continue;
      }
      if (forkMeans) {
        out.add(fork.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
      } else {
        out.addAll(fork);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static List<Double> boxed(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  /**
   * How far whole series moved between the two runs beyond their own sampling noise. Replicates
   * inside one run share its moment on the machine, so a busy neighbour shifts a whole series and
   * the rank test calls the shift significant. The spread of all series' changes (robust standard
   * deviation, 1.4826 x MAD, of their log ratios) minus the typical sampling variance of a median
   * ratio estimates that run-to-run drift; a change must exceed 4.5 to 6 drift deviations (more
   * with fewer series: the largest of a few noisy changes is often far out) to be called from
   * timing. A real regression still stands out or moves the counters; a machine-wide slowdown moves
   * the median, not the spread, and is still called. Needs {@value #NOISE_BAND_MIN_SERIES} series;
   * 0 (no band) with fewer, or when the band is inside the effect floor.
   */
  private double noiseBand(Map<String, List<Pending>> all, List<String> warnings) {
    List<Pending> series = new ArrayList<>();
    all.values().forEach(series::addAll);
    if (series.size() < NOISE_BAND_MIN_SERIES) {
      return 0;
    }
    double[] r = new double[series.size()];
    double[] sampling = new double[series.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = series.get(i).logRatio();
      sampling[i] = series.get(i).samplingVariance();
    }
    double center = median(r);
    double[] deviations = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      deviations[i] = Math.abs(r[i] - center);
    }
    double spread = MAD_TO_SIGMA * median(deviations);
    double drift = Math.sqrt(Math.max(0, spread * spread - median(sampling)));
    double scales = r.length < 10 ? 6 : r.length < 20 ? 5 : 4.5;
    double band = scales * drift;
    if (band <= Math.log(1 + options.effectFloor())) {
      return 0; // quiet enough: the effect floor is the band
    }
    warnings.add(
        "the runs are noisy: beyond their own sampling noise, whole series shifted by "
            + Words.factor(Math.exp(drift))
            + " (robust standard deviation across all queries), so only changes beyond "
            + Words.factor(Math.exp(band))
            + " are called from timing alone; counters still confirm smaller ones. Compare on"
            + " a quieter machine, run both sides back to back, or add forks");
    return band;
  }

  private void fewReplicatesWarning(
      List<Pending> tested, Map<String, List<Pending>> all, List<String> warnings) {
    double needed = options.correction().firstStep(options.alpha(), tested.size());
    Set<String> weak = new TreeSet<>();
    int fewest = Integer.MAX_VALUE;
    for (List<Pending> list : all.values()) {
      for (Pending p : list) {
        if (p.pValue != null && MannWhitney.minimumPValue(p.b.length, p.c.length) >= needed) {
          weak.add(p.label);
          fewest = Math.min(fewest, Math.min(p.b.length, p.c.length));
        }
      }
    }
    if (!weak.isEmpty()) {
      warnings.add(
          "too few replicates to prove a change on their own ("
              + fewest
              + " per run for some configurations; with "
              + tested.size()
              + " tests the smallest p-value must beat "
              + Fmt.p(needed)
              + "): slowdowns above the floor count only when counters confirm them. Run more"
              + " measurement iterations or forks (8+ per run)");
    }
  }

  // ------------------------------------------------------------------ run-level checks

  private static boolean datasetsMatch(RunView b, RunView c, List<String> warnings) {
    if (b.dataset() == null || c.dataset() == null) {
      if (b.dataset() != c.dataset()) {
        warnings.add(
            "only one run records its dataset: cannot tell whether both measured the same data");
      }
      return true;
    }
    String fb = b.dataset().fingerprint();
    String fc = c.dataset().fingerprint();
    if (fb != null && fc != null && !fb.equals(fc)) {
      warnings.add(
          "NOT COMPARABLE: the runs measured different datasets (baseline "
              + describe(b)
              + ", current "
              + describe(c)
              + "); re-seed both with the same profile and seed before trusting a regression");
      return false;
    }
    if (!Objects.equals(b.dataset().profile(), c.dataset().profile())) {
      warnings.add(
          "NOT COMPARABLE: dataset profiles differ ("
              + b.dataset().profile()
              + " vs "
              + c.dataset().profile()
              + ")");
      return false;
    }
    return true;
  }

  private static String describe(RunView r) {
    return r.dataset().profile() + "/" + r.dataset().fingerprint();
  }

  private static void environmentWarnings(RunView b, RunView c, List<String> warnings) {
    if (b.schemaVersion() != c.schemaVersion()) {
      warnings.add(
          "the runs use run.json schema versions "
              + b.schemaVersion()
              + " and "
              + c.schemaVersion()
              + ": fields one version lacks are not compared");
    }
    if (!b.completed()) {
      warnings.add("the baseline run did not complete: queries it missed show as new");
    }
    if (!c.completed()) {
      warnings.add("the current run did not complete: queries it missed show as removed");
    }
    Environment eb = b.environment();
    Environment ec = c.environment();
    if (eb == null || ec == null) {
      return;
    }
    if (eb.postgres() != null && ec.postgres() != null) {
      if (!Objects.equals(eb.postgres().version(), ec.postgres().version())) {
        warnings.add(
            "different PostgreSQL versions: "
                + eb.postgres().version()
                + " vs "
                + ec.postgres().version());
      }
      Map<String, String> sb =
          eb.postgres().settings() == null ? Map.of() : eb.postgres().settings();
      Map<String, String> sc =
          ec.postgres().settings() == null ? Map.of() : ec.postgres().settings();
      List<String> differ = new ArrayList<>();
      for (String k : new TreeSet<>(sb.keySet())) {
        if (sc.containsKey(k) && !Objects.equals(sb.get(k), sc.get(k))) {
          differ.add(k + " " + sb.get(k) + " → " + sc.get(k));
        }
      }
      if (!differ.isEmpty()) {
        warnings.add("server settings differ: " + String.join(", ", differ));
      }
    }
    if (eb.host() != null
        && ec.host() != null
        && !Objects.equals(eb.host().cores(), ec.host().cores())) {
      warnings.add(
          "the runs ran on machines with different core counts ("
              + eb.host().cores()
              + " vs "
              + ec.host().cores()
              + "): compare on the same runner");
    }
  }

  private static Comparison.Run run(RunView r) {
    String commit =
        r.environment() == null || r.environment().critpath() == null
            ? null
            : r.environment().critpath().gitCommit();
    return new Comparison.Run(
        r.runId(),
        r.directory() == null ? null : r.directory().toString(),
        r.schemaVersion(),
        commit);
  }
}

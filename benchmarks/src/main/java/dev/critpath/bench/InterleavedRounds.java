package dev.critpath.bench;

import dev.critpath.UserError;
import dev.critpath.catalog.DatasetSummaries;
import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.catalog.WriteMode;
import dev.critpath.db.Database;
import dev.critpath.run.PairedRounds.Series;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Interleaved A/B rounds ({@code ./run.sh ab}): every selected path is measured on the baseline and
 * on the candidate database alternately, round after round, so drift of the machine (another job, a
 * CPU throttling, a neighbour's backup) hits both sides alike and cancels in the per-round ratio.
 *
 * <p>One measurement is a direct timed loop over the bench stage's {@link Caller} (the same request
 * envelope, statements and parameter samplers JMH calls), not a JMH run: a JMH trial per round and
 * side would open a pool and sample parameters again each time (see docs/ab.md for the cost). Both
 * sides make the same number of calls with the same sampler seed, so round r draws the same keys on
 * both. Round order alternates AB, BA (ABBA over two rounds) so order effects cancel too.
 */
public final class InterleavedRounds {
  /** Calls of one measurement are at least this many, however slow the path. */
  static final int MIN_CALLS = 5;

  /** Warm-up before each measurement, as a share of its calls (caches after the other side ran). */
  static final int WARMUP_DIVISOR = 10;

  private static final Blackhole SINK =
      new Blackhole(
          "Today's password is swordfish. I understand instantiating Blackholes directly is"
              + " dangerous.");

  /** One side: its database and catalog. */
  public record Side(String label, Database db, QueryCatalog catalog) {}

  /**
   * How to measure.
   *
   * @param rounds measured rounds (a first warm-up round is not recorded)
   * @param measurementNanos how long one measurement takes on the baseline (calibrated once)
   * @param only path names, empty for all in both catalogs
   * @param variants variants to measure, empty for each path's first declared one
   * @param seed the parameter samplers' seed
   */
  public record Settings(
      int rounds, long measurementNanos, List<String> only, List<Variant> variants, long seed) {}

  private final Side baseline;
  private final Side candidate;
  private final Settings settings;
  private final PrintWriter out;

  private InterleavedRounds(Side baseline, Side candidate, Settings settings, PrintWriter out) {
    this.baseline = baseline;
    this.candidate = candidate;
    this.settings = settings;
    this.out = out;
  }

  /**
   * The paths both catalogs have (and the selection names), in the baseline's order.
   *
   * @throws UserError for an --only name in neither catalog
   */
  public static List<String> commonPaths(QueryCatalog base, QueryCatalog cand, List<String> only) {
    List<String> inCandidate = BenchPath.all(cand).stream().map(BenchPath::name).toList();
    List<String> common = new ArrayList<>();
    for (BenchPath p : BenchPath.select(base, only)) {
      if (inCandidate.contains(p.name())) {
        common.add(p.name());
      }
    }
    for (String name : only) {
      if (!common.contains(name)) {
        throw new UserError(
            "--only "
                + name
                + ": not a path of both catalogs (baseline "
                + base
                + ", candidate "
                + cand
                + ")");
      }
    }
    return common;
  }

  /** Measures and returns one series per path and variant, in catalog order. */
  public static List<Series> run(
      Side baseline, Side candidate, Settings settings, PrintWriter out) {
    // other benchmarks on this machine would skew one side's rounds: wait for them
    try (MachineLock lock = MachineLock.acquire(out)) {
      return new InterleavedRounds(baseline, candidate, settings, out).execute();
    }
  }

  private List<Series> execute() {
    List<String> names = commonPaths(baseline.catalog(), candidate.catalog(), settings.only());
    List<Series> result = new ArrayList<>();
    Map<String, Pair> pairs = new LinkedHashMap<>();
    try {
      for (String name : names) {
        BenchPath a = BenchPath.find(baseline.catalog(), name);
        BenchPath b = BenchPath.find(candidate.catalog(), name);
        for (Variant v : variants(a)) {
          String key = name + "/" + v.id();
          try {
            pairs.put(key, openPair(a, b, v));
          } catch (SideFailure e) {
            result.add(failed(name, v, e.getMessage()));
            out.printf("ab: %-28s %-8s not measured: %s%n", name, v.id(), e.getMessage());
          }
        }
      }
      out.printf(
          Locale.ROOT,
          "ab: %d series, %d rounds of %d ms per side and series%n",
          pairs.size(),
          settings.rounds(),
          settings.measurementNanos() / 1_000_000);
      out.flush();
      calibrate(pairs, result);
      for (int round = 0; round <= settings.rounds(); round++) {
        boolean baselineFirst = round % 2 == 1;
        for (var e : pairs.entrySet()) {
          measureRound(e.getKey(), e.getValue(), baselineFirst, round == 0, result);
        }
        if (round > 0) {
          out.printf("ab: round %d of %d done%n", round, settings.rounds());
          out.flush();
        }
      }
      for (var e : pairs.entrySet()) {
        if (e.getValue().failure == null) {
          result.add(e.getValue().series(e.getKey()));
        }
      }
      return order(result, names);
    } finally {
      pairs.values().forEach(Pair::close);
    }
  }

  private List<Variant> variants(BenchPath p) {
    List<Variant> declared = p.entry().variants();
    if (settings.variants().isEmpty()) {
      return List.of(declared.get(0));
    }
    return declared.stream().filter(settings.variants()::contains).toList();
  }

  /**
   * Calls per measurement: what the warmed-up baseline does in the measurement time, at least
   * MIN_CALLS. The first period only warms both sides up (JIT, server-side prepares, caches).
   */
  private void calibrate(Map<String, Pair> pairs, List<Series> result) {
    for (var e : pairs.entrySet()) {
      Pair p = e.getValue();
      try {
        for (int period = 0; period < 2; period++) {
          long start = System.nanoTime();
          int calls = 0;
          while (System.nanoTime() - start < settings.measurementNanos()) {
            p.baseline.call();
            calls++;
          }
          // the candidate makes as many calls, so both samplers stay on the same keys
          for (int i = 0; i < calls; i++) {
            p.candidate.call();
          }
          p.calls = Math.max(MIN_CALLS, calls);
        }
      } catch (SideFailure f) {
        fail(e.getKey(), p, f.getMessage(), result);
      }
    }
  }

  private void measureRound(
      String key, Pair p, boolean baselineFirst, boolean warmup, List<Series> result) {
    if (p.failure != null) {
      return;
    }
    try {
      MeasuredSide first = baselineFirst ? p.baseline : p.candidate;
      MeasuredSide second = baselineFirst ? p.candidate : p.baseline;
      double a = first.measure(p.calls);
      double b = second.measure(p.calls);
      if (!warmup) {
        p.baselineMs.add(baselineFirst ? a : b);
        p.candidateMs.add(baselineFirst ? b : a);
        p.order.add(baselineFirst ? "AB" : "BA");
      }
    } catch (SideFailure f) {
      fail(key, p, f.getMessage(), result);
    }
  }

  private void fail(String key, Pair p, String why, List<Series> result) {
    p.failure = why;
    String[] parts = key.split("/", 2);
    result.add(failed(parts[0], Variant.parse(parts[1]), why));
    out.printf("ab: %-28s %-8s stopped: %s%n", parts[0], parts[1], why);
  }

  private static Series failed(String name, Variant v, String why) {
    return new Series(name, v.id(), 0, List.of(), List.of(), List.of(), why);
  }

  private static List<Series> order(List<Series> series, List<String> names) {
    List<Series> sorted = new ArrayList<>(series);
    sorted.sort(
        java.util.Comparator.comparingInt((Series s) -> names.indexOf(s.path()))
            .thenComparing(Series::variant));
    return sorted;
  }

  private Pair openPair(BenchPath a, BenchPath b, Variant v) throws SideFailure {
    MeasuredSide first = open(baseline, a, v);
    try {
      return new Pair(first, open(candidate, b, v));
    } catch (SideFailure e) {
      first.close();
      throw e;
    }
  }

  private MeasuredSide open(Side side, BenchPath path, Variant v) throws SideFailure {
    Connection c = null;
    try {
      ParameterSource source;
      try (Connection owner = side.db().connect()) {
        source =
            ParameterSource.prepare(path.entry(), owner, DatasetSummaries.read(owner).orElse(null));
      }
      long seed = (settings.seed() * 1_000_003L + (path.name() + "/" + v.id()).hashCode());
      c = side.db().connect();
      Caller caller = new Caller(c, path, v, source.sampler(seed), side.db().pooler().mode());
      return new MeasuredSide(side, path, caller);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw new SideFailure(side, Failures.describe(e, side.db().statementTimeout()));
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // already failing; the original error is reported
    }
  }

  /** One side's caller for one path and variant. */
  private static final class MeasuredSide {
    private final Side side;
    private final BenchPath path;
    private final Caller caller;

    MeasuredSide(Side side, BenchPath path, Caller caller) {
      this.side = side;
      this.path = path;
      this.caller = caller;
    }

    void call() throws SideFailure {
      try {
        caller.call(SINK);
      } catch (SQLException | RuntimeException e) {
        throw new SideFailure(side, Failures.describe(e, side.db().statementTimeout()));
      }
    }

    /**
     * A short warm-up, then {@code calls} timed calls: the median in ms per call. The median, not
     * the mean: on a shared runner a call that loses the CPU for a scheduler slice (tens of ms)
     * would dominate a 200 ms mean, and such stalls are noise to both sides, not the query's cost.
     */
    double measure(int calls) throws SideFailure {
      for (int i = 0; i < Math.max(1, calls / WARMUP_DIVISOR); i++) {
        call();
      }
      long[] nanos = new long[calls];
      for (int i = 0; i < calls; i++) {
        long start = System.nanoTime();
        call();
        nanos[i] = System.nanoTime() - start;
      }
      cleanUp();
      Arrays.sort(nanos);
      double median =
          calls % 2 == 1 ? nanos[calls / 2] : (nanos[calls / 2 - 1] + nanos[calls / 2]) / 2.0;
      return median / 1e6;
    }

    /** Committed writes are undone by their catalog cleanup SQL, outside the timed loop. */
    private void cleanUp() throws SideFailure {
      if (path.entry().write() != WriteMode.CLEANUP) {
        return;
      }
      try (Connection c = side.db().connect();
          Statement st = c.createStatement()) {
        st.execute(path.entry().cleanupSql());
      } catch (SQLException e) {
        throw new SideFailure(side, "cleanup: " + e.getMessage());
      }
    }

    void close() {
      try {
        caller.close();
      } catch (SQLException | RuntimeException ignored) {
        // the connection is gone either way
      }
    }
  }

  /** Both sides of one series and its rounds so far. */
  private static final class Pair {
    final MeasuredSide baseline;
    final MeasuredSide candidate;
    final List<Double> baselineMs = new ArrayList<>();
    final List<Double> candidateMs = new ArrayList<>();
    final List<String> order = new ArrayList<>();
    int calls;
    String failure;

    Pair(MeasuredSide baseline, MeasuredSide candidate) {
      this.baseline = baseline;
      this.candidate = candidate;
    }

    Series series(String key) {
      String[] parts = key.split("/", 2);
      return new Series(parts[0], parts[1], calls, baselineMs, candidateMs, order, failure);
    }

    void close() {
      baseline.close();
      candidate.close();
    }
  }

  /** A call that failed on one side: the message names the side. */
  private static final class SideFailure extends Exception {
    SideFailure(Side side, String why) {
      super("on the " + side.label() + ": " + why);
    }
  }
}

package dev.critpath.bench;

import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.ParamDecl;
import dev.critpath.catalog.Target;
import dev.critpath.catalog.Variant;
import dev.critpath.catalog.WriteMode;
import dev.critpath.run.ThresholdCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * Result assembly: the bench section from the paths' states, at the end or as it stands while the
 * stage runs.
 */
final class BenchReports {
  private static final String NOT_MEASURED = "not measured: the run stopped before it";

  private final BenchSettings settings;
  private final JmhOptions jmh;

  /** The latency log's file name once one was written. */
  String latencyLog;

  private final Map<String, PathRun> runs;
  private final BenchDatabase database;

  BenchReports(
      BenchSettings settings, JmhOptions jmh, Map<String, PathRun> runs, BenchDatabase database) {
    this.settings = settings;
    this.jmh = jmh;
    this.runs = runs;
    this.database = database;
  }

  /**
   * The section as it stands; before the stage {@code finished}, its verdict is "interrupted" and
   * whatever has no result yet is "skipped: not measured", so that a run stopped now says so.
   */
  BenchReport report(List<Integer> levels, boolean finished) {
    List<BenchReport.PathReport> reports = new ArrayList<>();
    int measured = 0;
    int failed = 0;
    int missed = 0;
    long connectionErrors = 0;
    for (PathRun r : runs.values()) {
      BenchReport.PathReport p = pathReport(r, finished);
      reports.add(p);
      if (p.status().equals("failed")) {
        failed++;
      }
      if (p.variants() != null && p.variants().stream().anyMatch(v -> v.latency() != null)) {
        measured++;
      }
      if (p.targets() != null) {
        missed += (int) p.targets().stream().filter(t -> !Boolean.TRUE.equals(t.passed())).count();
      }
      connectionErrors +=
          r.connectionErrors.values().stream().mapToLong(BenchReport.ConnectionErrors::count).sum();
    }
    String verdict =
        !finished
            ? Bench.INTERRUPTED
            : measured == 0
                ? "error"
                : failed > 0 || missed > 0 || connectionErrors > 0 ? "fail" : "pass";
    BenchReport.Settings s =
        new BenchReport.Settings(
            jmh.forks(),
            jmh.warmupIterations(),
            jmh.warmupTime().toString(),
            jmh.measurementIterations(),
            jmh.measurementTime().toString(),
            levels,
            settings.seed(),
            settings.querySources(),
            settings.jmhArgs());
    BenchReport.Dataset ds =
        database.dataset == null
            ? null
            : new BenchReport.Dataset(
                database.dataset.profile(),
                database.dataset.seed(),
                database.dataset.fingerprint());
    return new BenchReport(
        settings.profile().id(),
        s,
        ds,
        Bench.JMH_FILE,
        latencyLog,
        database.noServerStats == null
            ? "pg_stat_statements"
            : "unavailable: " + database.noServerStats,
        measured,
        failed,
        missed,
        connectionErrors,
        verdict,
        reports);
  }

  private BenchReport.PathReport pathReport(PathRun r, boolean finished) {
    CatalogQuery q = r.path.entry();
    List<BenchReport.VariantReport> variants = new ArrayList<>();
    for (Variant v : r.variants) {
      variants.add(variantReport(r, v, finished));
    }
    String status;
    String reason = r.failure;
    boolean pending =
        !finished
            && !variants.isEmpty()
            && variants.stream().allMatch(v -> NOT_MEASURED.equals(v.reason()));
    if (pending && r.skipped == null && r.failure == null) {
      status = "skipped";
      reason = NOT_MEASURED;
    } else if (r.skipped != null) {
      status = "skipped";
      reason = r.skipped;
    } else if (r.failure != null || !r.variantFailure.isEmpty()) {
      status = "failed";
      if (reason == null) {
        Map.Entry<Variant, String> first = r.variantFailure.entrySet().iterator().next();
        reason = first.getKey().id() + ": " + first.getValue();
      }
    } else {
      status = "ok";
    }
    Variant main = r.variants.isEmpty() ? q.mainVariant() : r.variants.get(0);
    RunResult mainSample = r.sample.get(main);
    BenchReport.Latency mainLatency = mainSample == null ? null : Measurements.latency(mainSample);
    List<ThresholdCheck> targets = new ArrayList<>();
    for (Target t : q.targets()) {
      Double observed =
          mainLatency == null ? null : Measurements.metric(mainLatency, t.metric().key());
      targets.add(
          new ThresholdCheck(
              ThresholdCheck.LATENCY,
              t.metric().key(),
              t.inclusive() ? "<=" : "<",
              t.thresholdMillis(),
              ThresholdCheck.MS,
              t.text(),
              observed,
              observed == null ? null : t.holds(observed),
              t.location(),
              null));
    }
    return new BenchReport.PathReport(
        r.path.name(),
        q.about(),
        r.path.origin(),
        r.path.java() == null ? null : r.path.java().twinOf(),
        q.role().id(),
        q.write().id(),
        writeHandling(q.write()),
        r.path.java() == null ? q.sql() : null,
        params(q),
        status,
        reason,
        targets.isEmpty() ? null : targets,
        q.expectations(),
        variants,
        rlsOverhead(r));
  }

  private static List<BenchReport.Param> params(CatalogQuery q) {
    List<BenchReport.Param> out = new ArrayList<>();
    for (ParamDecl p : q.params()) {
      String sampling = p.text().substring(p.text().indexOf('=') + 1).strip();
      for (String name : p.names()) {
        out.add(new BenchReport.Param(name, sampling, q.source() + ":" + p.line()));
      }
    }
    return out;
  }

  private static String writeHandling(WriteMode mode) {
    return switch (mode) {
      case READ_ONLY -> null;
      case ROLLBACK -> "each call ran in a transaction rolled back inside the measured time";
      case CLEANUP -> "each call committed; the catalog's cleanup SQL ran after every iteration";
    };
  }

  private BenchReport.VariantReport variantReport(PathRun r, Variant v, boolean finished) {
    RunResult sample = r.sample.get(v);
    BenchReport.Latency latency = sample == null ? null : Measurements.latency(sample);
    BenchReport.ServerStats server = sample == null ? null : Measurements.server(sample);
    List<BenchReport.Level> levels = new ArrayList<>();
    Map<Integer, RunResult> thrpt = r.throughput.getOrDefault(v, Map.of());
    Map<Integer, RunResult> sampled = r.levelSamples.getOrDefault(v, Map.of());
    thrpt.keySet().stream()
        .sorted()
        .forEach(
            t -> {
              RunResult s = sampled.get(t);
              levels.add(
                  Measurements.level(thrpt.get(t), s == null ? null : Measurements.latency(s)));
            });
    Long id = r.queryIds.get(v);
    String failure = r.failure != null ? r.failure : r.variantFailure.get(v);
    Double outside =
        latency != null && server != null
            ? Measurements.round(latency.mean() - server.meanExecMs())
            : null;
    boolean pending = !finished && failure == null && r.skipped == null && latency == null;
    return new BenchReport.VariantReport(
        v.id(),
        r.skipped != null || pending ? "skipped" : failure == null ? "ok" : "failed",
        pending ? NOT_MEASURED : failure,
        id == null ? null : Long.toString(id),
        latency,
        server,
        outside,
        levels.isEmpty() ? null : levels,
        r.connectionErrors.get(v));
  }

  private static BenchReport.RlsOverhead rlsOverhead(PathRun r) {
    RunResult on = r.sample.get(Variant.RLS_ON);
    RunResult off = r.sample.get(Variant.RLS_OFF);
    if (on == null || off == null) {
      return null;
    }
    BenchReport.Latency a = Measurements.latency(on);
    BenchReport.Latency b = Measurements.latency(off);
    return new BenchReport.RlsOverhead(
        Measurements.round(a.mean() - b.mean()),
        Measurements.round(a.p50() - b.p50()),
        Measurements.round(a.p95() - b.p95()),
        b.mean() > 0 ? Measurements.round(a.mean() / b.mean()) : Double.NaN);
  }
}

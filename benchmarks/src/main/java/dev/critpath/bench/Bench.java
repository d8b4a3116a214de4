package dev.critpath.bench;

import dev.critpath.ExitCode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.DatasetSummaries;
import dev.critpath.catalog.ParamDecl;
import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Target;
import dev.critpath.catalog.Variant;
import dev.critpath.catalog.WriteMode;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.db.Database;
import dev.critpath.db.Pooler;
import dev.critpath.io.AtomicFiles;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import dev.critpath.schema.DatabaseMarker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The bench stage: checks every selected path once (so a broken query is named, not a stack trace
 * in the middle of JMH), then measures the healthy ones with JMH, single-thread latency first and
 * throughput per concurrency level, and writes {@code jmh.json} and run.json's {@code bench}
 * section. A failing path is reported and the others still measured.
 */
public final class Bench {
  public static final String JMH_FILE = "jmh.json";

  /** The section's verdict while the stage has not finished (what a stopped run keeps). */
  public static final String INTERRUPTED = "interrupted";

  private static final String NOT_MEASURED = "not measured: the run stopped before it";

  private static final Blackhole PREFLIGHT_SINK =
      new Blackhole(
          "Today's password is swordfish. I understand instantiating Blackholes directly is"
              + " dangerous.");

  private static final Duration JMH_LOCK_WAIT = Duration.ofHours(1);
  private static final Duration JMH_LOCK_POLL = Duration.ofSeconds(2);

  /** How the stage went: the exit code, one console line and the report put into run.json. */
  public record Outcome(ExitCode exitCode, String summary, BenchReport report) {}

  private final Database db;
  private final BenchSettings settings;
  private final PrintWriter out;
  private final JmhOptions jmh;
  private final Map<String, PathRun> runs = new LinkedHashMap<>();
  private DatasetSummary dataset;
  private String pgStatSchema;

  /** Why server-side statistics are not collected; null when they are. */
  private String noServerStats;

  private boolean ownDatabase;
  private RunDirectory run;
  private List<Integer> levels;

  private Bench(Database db, BenchSettings settings, PrintWriter out) {
    this.db = db;
    this.settings = settings;
    this.out = out;
    this.jmh = new JmhOptions(settings.profile(), settings.jmhArgs());
  }

  /**
   * Benchmarks the selected paths and puts the {@code bench} section into the run directory.
   *
   * @throws UserError for a malformed catalog, an unknown --only name, bad options, or write paths
   *     on an unmarked database
   */
  public static Outcome run(
      Database db, BenchSettings settings, RunDirectory run, PrintWriter out) {
    return new Bench(db, settings, out).execute(run);
  }

  /**
   * Checks the settings without a database: the catalog parses, every --only name exists, the --jmh
   * options are allowed. Commands call it before starting a server.
   *
   * @throws UserError naming the problem
   */
  public static void validate(BenchSettings settings) {
    new JmhOptions(settings.profile(), settings.jmhArgs());
    BenchPath.select(QueryCatalog.load(settings.querySources()), settings.only());
    levels(settings);
  }

  /** One path's state through the stage. */
  private static final class PathRun {
    final BenchPath path;
    final List<Variant> variants;
    final List<Variant> throughputVariants;
    String failure;
    String skipped;
    ParameterSource source;
    final Map<Variant, String> variantFailure = new EnumMap<>(Variant.class);
    final Map<Variant, Long> queryIds = new EnumMap<>(Variant.class);
    final Map<Variant, RunResult> sample = new EnumMap<>(Variant.class);
    final Map<Variant, Map<Integer, RunResult>> throughput = new EnumMap<>(Variant.class);
    final Map<Variant, Map<Integer, RunResult>> levelSamples = new EnumMap<>(Variant.class);
    final Map<Variant, BenchReport.ConnectionErrors> connectionErrors =
        new EnumMap<>(Variant.class);

    PathRun(BenchPath path, List<Variant> variants, List<Variant> throughputVariants) {
      this.path = path;
      this.variants = variants;
      this.throughputVariants = throughputVariants;
    }

    boolean healthy(Variant v) {
      return failure == null && skipped == null && !variantFailure.containsKey(v);
    }
  }

  /** One JMH invocation: a mode at a thread count for one variant of several paths. */
  private record Plan(Mode mode, int threads, Variant variant, List<String> paths) {}

  private Outcome execute(RunDirectory run) {
    this.run = run;
    QueryCatalog catalog = QueryCatalog.load(settings.querySources());
    List<BenchPath> paths = BenchPath.select(catalog, settings.only());
    this.levels = levels(settings);
    for (BenchPath p : paths) {
      List<Variant> declared = p.entry().variants();
      List<Variant> chosen =
          settings.variants().isEmpty()
              ? declared
              : declared.stream().filter(settings.variants()::contains).toList();
      List<Variant> thrpt =
          p.entry().singleCaller()
              ? List.of()
              : settings.variants().isEmpty() || chosen.isEmpty()
                  ? List.of(declared.get(0))
                  : chosen;
      PathRun r = new PathRun(p, chosen, thrpt);
      if (chosen.isEmpty()) {
        r.skipped = "declares none of the variants " + ids(settings.variants());
      }
      runs.put(p.name(), r);
    }
    inspectDatabase(paths);
    out.printf(
        "bench: %d path%s from %s on %s, profile %s, threads %s%n",
        paths.size(),
        paths.size() == 1 ? "" : "s",
        catalog,
        db.description(),
        settings.profile().id(),
        levels);
    Path work = tempDir();
    // the fork configurations in it hold the password: gone on every exit, signals included
    Thread removeWork = new Thread(() -> deleteRecursively(work), "critpath-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(removeWork);
    List<Path> jsonFiles = new ArrayList<>();
    try (MachineLock lock = MachineLock.acquire(out)) {
      preflight();
      List<Plan> plans = plan(levels);
      int count = plans.stream().mapToInt(p -> p.paths().size()).sum();
      out.printf(
          "bench: %d measurement%s, about %s%n", count, count == 1 ? "" : "s", estimate(plans));
      ProgressFormat progress = new ProgressFormat(out, settings.verbose());
      for (int i = 0; i < plans.size(); i++) {
        Plan plan = plans.get(i);
        List<String> live =
            plan.paths().stream().filter(n -> runs.get(n).healthy(plan.variant())).toList();
        if (live.isEmpty()) {
          continue;
        }
        vacuum();
        Path json = work.resolve("jmh-" + i + ".json");
        measure(
            new Plan(plan.mode(), plan.threads(), plan.variant(), live), work, i, json, progress);
        if (Files.exists(json)) {
          jsonFiles.add(json);
        }
        AtomicFiles.writeString(run.file(JMH_FILE), mergeJmhJson(jsonFiles));
      }
      AtomicFiles.writeString(run.file(JMH_FILE), mergeJmhJson(jsonFiles));
    } finally {
      deleteRecursively(work);
      removeShutdownHook(removeWork);
    }
    BenchReport report = report(levels, true);
    run.put(Section.BENCH, report);
    print(report);
    ExitCode exit =
        report.measured() == 0
            ? ExitCode.ERROR
            : report.verdict().equals("fail") ? ExitCode.FAILED : ExitCode.OK;
    String summary =
        String.format(
            "%d measured, %d failed, %d target%s missed%s",
            report.measured(),
            report.failed(),
            report.targetsMissed(),
            report.targetsMissed() == 1 ? "" : "s",
            report.connectionErrors() == 0 ? "" : ", " + lostCalls(report.connectionErrors()));
    return new Outcome(exit, summary, report);
  }

  private static List<Integer> levels(BenchSettings settings) {
    List<Integer> levels = settings.levels();
    for (int t : levels) {
      if (t < 1 || t > 1024) {
        throw new UserError("--threads: " + t + " is not between 1 and 1024");
      }
    }
    return levels.stream().distinct().sorted().toList();
  }

  /** Dataset, pg_stat_statements, and the marker check that guards write paths. */
  private void inspectDatabase(List<BenchPath> paths) {
    try (Connection c = db.connect()) {
      dataset = DatasetSummaries.read(c).orElse(null);
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid ="
                      + " e.extnamespace WHERE e.extname = 'pg_stat_statements'")) {
        pgStatSchema = rs.next() ? rs.getString(1) : null;
      }
      noServerStats = serverStatsMissing(c);
      List<String> writes =
          paths.stream().filter(p -> p.entry().write().writes()).map(BenchPath::name).toList();
      DatabaseMarker.State marker = DatabaseMarker.read(c);
      ownDatabase = marker == DatabaseMarker.State.MARKED;
      if (!writes.isEmpty()
          && marker == DatabaseMarker.State.UNMARKED
          && !settings.allowUnmarked()) {
        throw new UserError(
            "refusing to benchmark writes ("
                + String.join(", ", writes)
                + ") on "
                + db.spec().display()
                + ": it holds tables but no critpath marker, so it may be somebody's real data."
                + " Use --only with read paths, or --allow-unmarked if you are sure");
      }
    } catch (SQLException e) {
      throw new UserError(
          "cannot inspect " + db.spec().display() + ": " + Secrets.redact(e.getMessage()), e);
    }
    if (dataset == null && ownDatabase) {
      // a seed that stopped half-way leaves rows but no summary: say so before measuring them
      out.println(
          "bench: warning: no complete dataset is loaded (critpath.marker.dataset_summary is"
              + " empty: no seed ran, or the last one did not finish); the numbers describe"
              + " whatever the tables hold (run ./run.sh seed for a known dataset)");
    }
    if (noServerStats != null) {
      pgStatSchema = null;
      out.println(
          "bench: server-side times are left out: " + noServerStats + " (see ./run.sh doctor)");
    }
  }

  /**
   * Why pg_stat_statements cannot give this run its server-side numbers, or null when it can: the
   * extension can be installed but not preloaded (every read fails), or readable but not for this
   * role's queries.
   */
  private String serverStatsMissing(Connection c) {
    if (pgStatSchema == null) {
      return "pg_stat_statements is not installed in this database";
    }
    try (Statement st = c.createStatement()) {
      st.executeQuery(
              "SELECT 1 FROM "
                  + PgStatProfiler.quote(pgStatSchema)
                  + ".pg_stat_statements(false) LIMIT 1")
          .close();
      return null;
    } catch (SQLException e) {
      String line = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      return "pg_stat_statements cannot be read (" + Secrets.redact(line.strip()) + ")";
    }
  }

  /**
   * Rolled-back writes (write paths, the explain and HTTP stages, earlier runs) leave dead tuples
   * and index entries that later reads step over until a vacuum: an A/A pair measured message_fetch
   * reading 28% more buffers per call in its second run, newest-first scans of the hot
   * conversations meeting the dead messages of send_message first. So every measurement starts from
   * a vacuumed database, on critpath's own databases only (on anyone else's, as it is).
   */
  private void vacuum() {
    if (!ownDatabase) {
      return;
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      if (db.pooler().mode() != Pooler.Mode.TRANSACTION) {
        // through a transaction pooler the setting would outlive this connection on a shared
        // backend: VACUUM runs under the server's own statement_timeout there
        st.execute("SET statement_timeout = 0");
      }
      st.execute("VACUUM");
    } catch (SQLException e) {
      out.println("bench: VACUUM failed, measuring as is: " + Secrets.redact(e.getMessage()));
    }
  }

  /**
   * Runs every path once per variant, as the benchmark would, and learns its query id. A path that
   * fails here is reported with the reason and not measured.
   */
  private void preflight() {
    for (PathRun r : runs.values()) {
      if (r.skipped != null) {
        continue;
      }
      CatalogQuery q = r.path.entry();
      try (Connection c = db.connect()) {
        r.source = ParameterSource.prepare(q, c, dataset);
      } catch (UserError | SQLException e) {
        r.failure = "parameters: " + Failures.describe(e, db.statementTimeout());
        out.printf("   %-28s failed: %s%n", r.path.name(), r.failure);
        continue;
      }
      for (Variant v : r.variants) {
        try (Connection c = db.connect();
            Connection monitor = db.connect()) {
          try (Caller caller = new Caller(c, r.path, v, r.source.sampler(settings.seed()))) {
            // Through a transaction pooler an autocommit statement's backend is free again before
            // the monitor looks, and may serve the monitor itself: hold it in a transaction.
            boolean hold = db.pooler().mode() == Pooler.Mode.TRANSACTION && c.getAutoCommit();
            if (hold) {
              c.setAutoCommit(false);
            }
            int pid = Pooler.backendPid(c);
            long id = caller.callAndIdentify(PREFLIGHT_SINK, monitor, pid);
            if (hold) {
              c.commit();
              c.setAutoCommit(true);
            }
            if (id != 0) {
              r.queryIds.put(v, id);
            }
          }
          if (q.write() == WriteMode.CLEANUP) {
            try (Statement st = monitor.createStatement()) {
              st.execute(q.cleanupSql());
            }
          }
        } catch (SQLException | RuntimeException e) {
          String reason = Failures.describe(e, db.statementTimeout());
          r.variantFailure.put(v, reason);
          out.printf("   %-28s %-8s failed: %s%n", r.path.name(), v.id(), reason);
        }
      }
    }
  }

  private List<Plan> plan(List<Integer> levels) {
    List<Plan> plans = new ArrayList<>();
    for (Variant v : Variant.values()) {
      List<String> names = names(r -> r.variants.contains(v) && r.healthy(v));
      if (!names.isEmpty()) {
        plans.add(new Plan(Mode.SampleTime, 1, v, names));
      }
    }
    for (int t : levels) {
      for (Variant v : Variant.values()) {
        List<String> names = names(r -> r.throughputVariants.contains(v) && r.healthy(v));
        if (names.isEmpty()) {
          continue;
        }
        plans.add(new Plan(Mode.Throughput, t, v, names));
        if (settings.profile().sampleEveryLevel && t > 1) {
          plans.add(new Plan(Mode.SampleTime, t, v, names));
        }
      }
    }
    return plans;
  }

  private List<String> names(Predicate<PathRun> filter) {
    return runs.values().stream().filter(filter).map(r -> r.path.name()).toList();
  }

  private String estimate(List<Plan> plans) {
    int benchmarks = plans.stream().mapToInt(p -> p.paths().size()).sum();
    double perFork =
        jmh.warmupIterations() * jmh.warmupTime().convertTo(TimeUnit.MILLISECONDS)
            + jmh.measurementIterations() * jmh.measurementTime().convertTo(TimeUnit.MILLISECONDS);
    double jvmStart = jmh.forks() == 0 ? 0.2 : 1.5; // seconds to start a forked JVM and connect
    double seconds = benchmarks * Math.max(1, jmh.forks()) * (perFork / 1000.0 + jvmStart);
    return seconds < 90 ? Math.round(seconds) + " s" : Math.round(seconds / 60) + " min";
  }

  private void measure(Plan plan, Path work, int index, Path json, ProgressFormat progress) {
    Path failures = work.resolve("failures-" + index);
    Map<String, Long> ids = new HashMap<>();
    for (String name : plan.paths()) {
      Long id = runs.get(name).queryIds.get(plan.variant());
      if (id != null) {
        ids.put(PgStatProfiler.key(name, plan.variant().id()), id);
      }
    }
    Path config;
    try {
      Files.createDirectories(failures);
      config =
          ForkConfig.of(
                  db.spec(),
                  db.statementTimeout().toMillis(),
                  settings.querySources(),
                  settings.seed(),
                  ids,
                  pgStatSchema,
                  failures,
                  db.pooler())
              .writePrivate(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String previous = System.getProperty(ForkConfig.PROPERTY);
    // with -f 0 the benchmark runs in this JVM and reads the same property
    System.setProperty(ForkConfig.PROPERTY, config.toString());
    Collection<RunResult> results;
    // each benchmark of the plan is saved into run.json as it finishes: an interrupt loses none
    progress.onFinished(
        result -> {
          keep(plan, new RunResult(result.getParams(), List.of(result)));
          run.put(Section.BENCH, report(levels, false));
        });
    try {
      Runner runner =
          new Runner(
              jmh.build(
                  plan.mode(),
                  plan.threads(),
                  plan.variant().id(),
                  plan.paths(),
                  config.toString(),
                  pgStatSchema != null,
                  json.toString()),
              progress);
      results = runWhenJmhIsFree(runner);
    } catch (RunnerException e) {
      for (String name : plan.paths()) {
        runs.get(name)
            .variantFailure
            .putIfAbsent(plan.variant(), "JMH could not run: " + Secrets.redact(e.getMessage()));
      }
      return;
    } finally {
      progress.onFinished(result -> {});
      if (previous == null) {
        System.clearProperty(ForkConfig.PROPERTY);
      } else {
        System.setProperty(ForkConfig.PROPERTY, previous);
      }
    }
    Map<String, RunResult> byPath = new HashMap<>();
    for (RunResult rr : results) {
      byPath.put(rr.getParams().getParam("query"), rr);
    }
    String measurement =
        String.format(
            " (%s at %d thread%s)",
            plan.mode() == Mode.Throughput ? "throughput" : "latency",
            plan.threads(),
            plan.threads() == 1 ? "" : "s");
    for (String name : plan.paths()) {
      PathRun r = runs.get(name);
      BenchReport.ConnectionErrors lost = ConnectionLoss.read(failures, name, plan.variant().id());
      if (lost.count() > 0) {
        r.connectionErrors.merge(
            plan.variant(),
            new BenchReport.ConnectionErrors(lost.count(), lost.first() + measurement),
            BenchReport.ConnectionErrors::plus);
      }
      RunResult rr = byPath.get(name);
      if (rr != null
          && !rr.getBenchmarkResults().isEmpty()
          && rr.getPrimaryResult().getSampleCount() == 0) {
        r.variantFailure.putIfAbsent(
            plan.variant(), "no sample: JMH measured no call" + measurement);
        continue;
      }
      if (rr == null || rr.getBenchmarkResults().isEmpty()) {
        String reason = Failures.read(failures, name, plan.variant().id());
        if (reason == null) {
          reason =
              progress.printedFor(name).stream()
                  .filter(l -> l.contains("Exception") || l.contains("Error"))
                  .findFirst()
                  .orElse("JMH reported no result (run with --verbose to see its output)");
        }
        String where =
            plan.mode() == Mode.SampleTime && plan.threads() == 1
                ? ""
                : " (at " + plan.threads() + " threads)";
        r.variantFailure.putIfAbsent(plan.variant(), reason + where);
        continue;
      }
      keep(plan, rr);
    }
  }

  /** A measurement's result, into its path's state (again, when it was kept as it finished). */
  private void keep(Plan plan, RunResult rr) {
    PathRun r = runs.get(rr.getParams().getParam("query"));
    if (r == null || rr.getPrimaryResult().getSampleCount() == 0) {
      return;
    }
    if (plan.mode() == Mode.SampleTime && plan.threads() == 1) {
      r.sample.put(plan.variant(), rr);
    } else if (plan.mode() == Mode.SampleTime) {
      r.levelSamples.computeIfAbsent(plan.variant(), k -> new HashMap<>()).put(plan.threads(), rr);
    } else {
      r.throughput.computeIfAbsent(plan.variant(), k -> new HashMap<>()).put(plan.threads(), rr);
    }
  }

  /**
   * Runs JMH, waiting while another JMH process (not a critpath bench, which {@link MachineLock}
   * already waited for) holds JMH's machine-wide lock: measuring beside it would be wrong, and the
   * operating system frees the lock when that process ends.
   */
  private Collection<RunResult> runWhenJmhIsFree(Runner runner) throws RunnerException {
    long deadline = System.nanoTime() + JMH_LOCK_WAIT.toNanos();
    boolean told = false;
    while (true) {
      try {
        return runner.run();
      } catch (RunnerException e) {
        boolean busy = String.valueOf(e.getMessage()).contains("JMH lock");
        if (!busy || System.nanoTime() > deadline) {
          throw e;
        }
        if (!told) {
          out.println("bench: another JMH benchmark holds its lock on this machine; waiting");
          out.flush();
          told = true;
        }
        try {
          Thread.sleep(JMH_LOCK_POLL.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** JMH's JSON of several runs as one array; every result object exactly as JMH wrote it. */
  static String mergeJmhJson(List<Path> files) {
    List<String> bodies = new ArrayList<>();
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (text.startsWith("[") && text.endsWith("]")) {
        String body = text.substring(1, text.length() - 1).strip();
        if (!body.isEmpty()) {
          bodies.add(body);
        }
      }
    }
    return bodies.isEmpty() ? "[\n]\n" : "[\n    " + String.join(",\n    ", bodies) + "\n]\n";
  }

  /**
   * The section as it stands; before the stage {@code finished}, its verdict is "interrupted" and
   * whatever has no result yet is "skipped: not measured", so that a run stopped now says so.
   */
  private BenchReport report(List<Integer> levels, boolean finished) {
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
        missed += (int) p.targets().stream().filter(t -> !Boolean.TRUE.equals(t.pass())).count();
      }
      connectionErrors +=
          r.connectionErrors.values().stream().mapToLong(BenchReport.ConnectionErrors::count).sum();
    }
    String verdict =
        !finished
            ? INTERRUPTED
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
        dataset == null
            ? null
            : new BenchReport.Dataset(dataset.profile(), dataset.seed(), dataset.fingerprint());
    return new BenchReport(
        settings.profile().id(),
        s,
        ds,
        JMH_FILE,
        noServerStats == null ? "pg_stat_statements" : "unavailable: " + noServerStats,
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
    List<BenchReport.TargetCheck> targets = new ArrayList<>();
    Variant main = r.variants.isEmpty() ? q.mainVariant() : r.variants.get(0);
    RunResult mainSample = r.sample.get(main);
    BenchReport.Latency mainLatency = mainSample == null ? null : Measurements.latency(mainSample);
    for (Target t : q.targets()) {
      Double observed =
          mainLatency == null ? null : Measurements.metric(mainLatency, t.metric().key());
      targets.add(
          new BenchReport.TargetCheck(
              t.text(),
              t.location(),
              main.id(),
              observed,
              observed == null ? null : t.holds(observed)));
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

  private void print(BenchReport report) {
    out.println("bench: results (ms at 1 thread; ops/s per thread count)");
    out.printf(
        "   %-28s %-8s %9s %9s %9s %9s  %s%n",
        "path", "variant", "p50", "p95", "p99", "server", "throughput");
    for (BenchReport.PathReport p : report.queries()) {
      for (BenchReport.VariantReport v : p.variants()) {
        if (v.latency() == null) {
          out.printf(
              "   %-28s %-8s %s: %s%n",
              p.name(), v.variant(), v.status(), v.reason() == null ? "" : v.reason());
          printConnectionErrors(p, v);
          continue;
        }
        StringBuilder thrpt = new StringBuilder();
        if (v.concurrency() != null) {
          for (BenchReport.Level l : v.concurrency()) {
            thrpt.append(String.format("%d:%.0f ", l.threads(), l.opsPerSec()));
          }
        }
        out.printf(
            "   %-28s %-8s %9.3f %9.3f %9.3f %9s  %s%n",
            p.name(),
            v.variant(),
            v.latency().p50(),
            v.latency().p95(),
            v.latency().p99(),
            v.server() == null ? "-" : String.format("%.3f", v.server().meanExecMs()),
            thrpt.toString().strip());
        if (v.reason() != null) {
          out.printf("   %-28s %-8s failed: %s%n", p.name(), v.variant(), v.reason());
        }
        printConnectionErrors(p, v);
      }
      if (p.targets() != null) {
        for (BenchReport.TargetCheck t : p.targets()) {
          if (!Boolean.TRUE.equals(t.pass())) {
            out.printf(
                "   %-28s target %s %s%n",
                p.name(),
                t.target(),
                t.observedMs() == null
                    ? "not measured"
                    : String.format("missed: %.3f ms (%s)", t.observedMs(), t.location()));
          }
        }
      }
    }
    out.flush();
  }

  private void printConnectionErrors(BenchReport.PathReport p, BenchReport.VariantReport v) {
    if (v.connectionErrors() != null) {
      out.printf(
          "   %-28s %-8s %s (reconnected, measured on); first: %s%n",
          p.name(),
          v.variant(),
          lostCalls(v.connectionErrors().count()),
          v.connectionErrors().first());
    }
  }

  private static String lostCalls(long n) {
    return n == 1 ? "1 call lost its connection" : n + " calls lost their connection";
  }

  private static String ids(List<Variant> variants) {
    return String.join(", ", variants.stream().map(Variant::id).toList());
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("critpath-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // leftovers in the temporary directory; the system cleans it
    }
  }
}

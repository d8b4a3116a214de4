package dev.critpath.bench;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.db.Database;
import dev.critpath.io.AtomicFiles;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

  /** How the stage went: the exit code, one console line and the report put into run.json. */
  public record Outcome(ExitCode exitCode, String summary, BenchReport report) {}

  private final Database db;
  private final BenchSettings settings;
  private final PrintWriter out;
  private final JmhOptions jmh;
  private final Map<String, PathRun> runs = new LinkedHashMap<>();
  private final BenchDatabase database;
  private RunDirectory run;
  private List<Integer> levels;

  private Bench(Database db, BenchSettings settings, PrintWriter out) {
    this.db = db;
    this.settings = settings;
    this.out = out;
    this.jmh = new JmhOptions(settings.profile(), settings.jmhArgs());
    this.database = new BenchDatabase(db, settings, out);
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

  private Outcome execute(RunDirectory run) {
    this.run = run;
    QueryCatalog catalog = QueryCatalog.load(settings.querySources());
    List<BenchPath> paths = BenchPath.select(catalog, settings.only());
    this.levels = levels(settings);
    for (BenchPath p : paths) {
      runs.put(p.name(), pathRun(p));
    }
    database.inspect(paths);
    out.printf(
        "bench: %d path%s from %s on %s, profile %s, threads %s%n",
        paths.size(),
        paths.size() == 1 ? "" : "s",
        catalog,
        db.description(),
        settings.profile().id(),
        levels);
    BenchReports reports = new BenchReports(settings, jmh, runs, database);
    measureAll(reports);
    BenchReport report = reports.report(levels, true);
    run.put(Section.BENCH, report);
    new BenchConsole(out).print(report);
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
            report.connectionErrors() == 0
                ? ""
                : ", " + BenchConsole.lostCalls(report.connectionErrors()));
    return new Outcome(exit, summary, report);
  }

  /** The variants a path is measured in: those chosen, or all it declares. */
  private PathRun pathRun(BenchPath p) {
    List<Variant> declared = p.entry().variants();
    List<Variant> chosen =
        settings.variants().isEmpty()
            ? declared
            : declared.stream().filter(settings.variants()::contains).toList();
    List<Variant> thrpt =
        p.entry().singleCaller()
            ? List.of()
            : settings.variants().isEmpty() || chosen.isEmpty() ? List.of(declared.get(0)) : chosen;
    PathRun r = new PathRun(p, chosen, thrpt);
    if (chosen.isEmpty()) {
      r.skipped = "declares none of the variants " + ids(settings.variants());
    }
    return r;
  }

  /** Under the machine lock: the probe, then every plan, jmh.json rewritten after each. */
  private void measureAll(BenchReports reports) {
    Instant stageStart = Instant.now();
    Path work = tempDir();
    // the fork configurations in it hold the password: gone on every exit, signals included
    Thread removeWork = new Thread(() -> deleteRecursively(work), "critpath-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(removeWork);
    List<Path> jsonFiles = new ArrayList<>();
    try (MachineLock lock = MachineLock.acquire(out)) {
      new Preflight(db, settings, database.dataset, out).check(runs.values());
      List<JmhPlan> plans = JmhPlan.plan(runs.values(), levels, settings);
      int count = plans.stream().mapToInt(p -> p.paths().size()).sum();
      out.printf(
          "bench: %d measurement%s, about %s%n",
          count, count == 1 ? "" : "s", JmhPlan.estimate(plans, jmh));
      ProgressFormat progress = new ProgressFormat(out, settings.verbose());
      JmhRuns jmhRuns =
          new JmhRuns(
              db,
              settings,
              jmh,
              runs,
              database.pgStatSchema,
              out,
              () -> run.put(Section.BENCH, reports.report(levels, false)));
      for (int i = 0; i < plans.size(); i++) {
        JmhPlan plan = plans.get(i);
        List<String> live =
            plan.paths().stream().filter(n -> runs.get(n).healthy(plan.variant())).toList();
        if (live.isEmpty()) {
          continue;
        }
        database.vacuum();
        Path json = work.resolve("jmh-" + i + ".json");
        jmhRuns.measure(
            new JmhPlan(plan.mode(), plan.threads(), plan.variant(), live),
            work,
            i,
            json,
            progress);
        if (Files.exists(json)) {
          jsonFiles.add(json);
        }
        writeResults(jsonFiles, reports, stageStart);
      }
      writeResults(jsonFiles, reports, stageStart);
    } finally {
      deleteRecursively(work);
      removeShutdownHook(removeWork);
    }
  }

  /** jmh.json from the runs so far, and the latency log of its sample-mode distributions. */
  private void writeResults(List<Path> jsonFiles, BenchReports reports, Instant stageStart) {
    String json = JmhRuns.mergeJmhJson(jsonFiles);
    AtomicFiles.writeString(run.file(JMH_FILE), json);
    String name = LatencyLog.fileName(Section.BENCH);
    if (JmhLatencyLog.write(json, run.file(name), stageStart) > 0) {
      reports.latencyLog = name;
    }
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

package dev.critpath.bench;

import dev.critpath.Secrets;
import dev.critpath.db.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;

/** The JMH run: one plan at a time, its results kept per path, its failures named. */
final class JmhRuns {
  private static final Duration JMH_LOCK_WAIT = Duration.ofHours(1);
  private static final Duration JMH_LOCK_POLL = Duration.ofSeconds(2);

  private final Database db;
  private final BenchSettings settings;
  private final JmhOptions jmh;
  private final Map<String, PathRun> runs;
  private final String pgStatSchema;
  private final PrintWriter out;

  /** Called after each result is kept, so that run.json holds it at once. */
  private final Runnable onResult;

  JmhRuns(
      Database db,
      BenchSettings settings,
      JmhOptions jmh,
      Map<String, PathRun> runs,
      String pgStatSchema,
      PrintWriter out,
      Runnable onResult) {
    this.db = db;
    this.settings = settings;
    this.jmh = jmh;
    this.runs = runs;
    this.pgStatSchema = pgStatSchema;
    this.out = out;
    this.onResult = onResult;
  }

  void measure(JmhPlan plan, Path work, int index, Path json, ProgressFormat progress) {
    Path failures = work.resolve("failures-" + index);
    Path config = forkConfig(plan, work, failures);
    String previous = System.getProperty(ForkConfig.PROPERTY);
    // with -f 0 the benchmark runs in this JVM and reads the same property
    System.setProperty(ForkConfig.PROPERTY, config.toString());
    Collection<RunResult> results;
    // each benchmark of the plan is saved into run.json as it finishes: an interrupt loses none
    progress.onFinished(
        result -> {
          keep(plan, new RunResult(result.getParams(), List.of(result)));
          onResult.run();
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
    collect(plan, results, failures, progress);
  }

  /** The fork configuration of a plan (the paths' query ids), written privately into work. */
  private Path forkConfig(JmhPlan plan, Path work, Path failures) {
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
    return config;
  }

  /** Each path's result of a plan into its state; a missing one becomes its failure. */
  private void collect(
      JmhPlan plan, Collection<RunResult> results, Path failures, ProgressFormat progress) {
    Map<String, RunResult> byPath = new HashMap<>();
    for (RunResult rr : results) {
      byPath.put(rr.getParams().getParam("query"), rr);
    }
    String measurement =
        String.format(" (at %d thread%s)", plan.threads(), plan.threads() == 1 ? "" : "s");
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
        String where = plan.threads() == 1 ? "" : " (at " + plan.threads() + " threads)";
        r.variantFailure.putIfAbsent(plan.variant(), reason + where);
        continue;
      }
      keep(plan, rr);
    }
  }

  /** A measurement's result, into its path's state (again, when it was kept as it finished). */
  private void keep(JmhPlan plan, RunResult rr) {
    PathRun r = runs.get(rr.getParams().getParam("query"));
    if (r == null || rr.getPrimaryResult().getSampleCount() == 0) {
      return;
    }
    if (plan.threads() == 1) {
      r.sample.put(plan.variant(), rr);
    } else {
      r.levelSamples.computeIfAbsent(plan.variant(), k -> new HashMap<>()).put(plan.threads(), rr);
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
}

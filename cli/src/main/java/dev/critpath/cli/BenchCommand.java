package dev.critpath.cli;

import dev.critpath.UserError;
import dev.critpath.bench.Bench;
import dev.critpath.bench.BenchSettings;
import dev.critpath.bench.Profile;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.db.Database;
import dev.critpath.io.OutputPaths;
import dev.critpath.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "JMH benchmarks of the query catalog's critical paths on a seeded database:",
      "latency percentiles at 1 thread, throughput per concurrency level, server time",
      "(pg_stat_statements) beside client time, RLS on vs off, targets checked.",
      "Writes results/<run-id>/run.json (section bench) and jmh.json (JMH's own JSON).",
      "Exit 1 when a query failed or missed its target, 2 when nothing was measured."
    })
final class BenchCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Spec CommandSpec spec;

  @Option(
      names = "--only",
      split = ",",
      arity = "1..*",
      paramLabel = "NAME",
      description = "Benchmark only these paths (catalog names; comma or space separated).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = "quick",
      description =
          "quick (CI, a few minutes), standard (1 fork, longer iterations) or thorough"
              + " (3 forks, percentiles at every level). Default: ${DEFAULT-VALUE}.")
  String profile;

  @Option(
      names = "--threads",
      split = ",",
      paramLabel = "N",
      description =
          "Concurrency levels for throughput, e.g. 1,8,32 (pool sized to match)."
              + " Default: the profile's (quick 2,8; standard and thorough 1,2,8,32).")
  List<Integer> threads = new ArrayList<>();

  @Option(
      names = "--queries",
      paramLabel = "DIR",
      description =
          "A directory of catalog files (NAME.sql with a header) instead of the reference"
              + " catalog; repeat to merge several, 'builtin' names the reference catalog.")
  List<String> queries = new ArrayList<>();

  @Option(
      names = "--variants",
      split = ",",
      paramLabel = "V",
      description =
          "Only these variants: rls_on (the catalog role, as PostgREST), rls_off (the owner,"
              + " RLS bypassed), plain (autocommit, no role: what pgbench runs).")
  List<String> variants = new ArrayList<>();

  @Option(
      names = "--jmh",
      paramLabel = "OPTIONS",
      description =
          "Extra JMH options, e.g. --jmh \"-f 2 -wi 3 -i 5 -r 2s -prof gc\" (override the"
              + " profile).")
  String jmhArgs;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description =
          "Seed of the parameter samplers: same seed, same keys. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      defaultValue = "results",
      description = "Where run directories go (default: ${DEFAULT-VALUE}).")
  Path resultsRoot;

  @Override
  public Integer call() {
    BenchSettings settings = settings();
    Bench.validate(settings);
    PrintWriter out = spec.commandLine().getOut();
    OutputPaths.checkWritable(resultsRoot, "--results");
    try (Database db = database.open()) {
      out.println(DatabaseOptions.using(db));
      RunDirectory run = RunDirectory.create(resultsRoot);
      // Ctrl-C: run.json says the run did not finish; each measurement already finished was
      // saved into it as it ended
      Thread interrupted =
          new Thread(
              () -> {
                if (run.record().getFinishedAt() == null) {
                  run.record().finish(Instant.now(), false, "interrupted");
                  run.save();
                  System.err.println(
                      System.lineSeparator()
                          + "critpath: bench interrupted; every finished measurement is kept in "
                          + run.path().resolve(RunDirectory.RUN_JSON));
                }
              },
              "critpath-bench-interrupted");
      Runtime.getRuntime().addShutdownHook(interrupted);
      Bench.Outcome outcome;
      try {
        outcome = Bench.run(db, settings, run, out);
      } catch (UserError e) {
        if (run.record().getSections().isEmpty()) {
          run.discard(); // refused before measuring: a usage error leaves nothing behind
        } else {
          run.record().finish(Instant.now(), false, "error");
          run.save();
        }
        throw e;
      } catch (RuntimeException e) {
        run.record().finish(Instant.now(), false, "error");
        run.save();
        throw e;
      } finally {
        Runtime.getRuntime().removeShutdownHook(interrupted);
      }
      String verdict = outcome.report().verdict();
      run.record().finish(Instant.now(), true, verdict);
      run.save();
      out.printf("bench: %s (%s), results in %s%n", verdict, outcome.summary(), run.path());
      return outcome.exitCode().code;
    }
  }

  /**
   * The bench stage of the default suite: the quick profile over the reference catalog, results
   * into the suite's run directory (section "bench" and jmh.json).
   */
  static Stage stage() {
    return new Stage() {
      @Override
      public String name() {
        return "bench";
      }

      @Override
      public Outcome run(SuiteContext ctx) {
        Bench.Outcome o =
            Bench.run(
                ctx.db(),
                BenchSettings.of(Profile.QUICK)
                    .withAllowUnmarked(ctx.options().allowUnmarked)
                    .withVerbose(GlobalOptions.verbose),
                ctx.run(),
                ctx.out());
        return new Outcome(o.exitCode(), o.summary());
      }
    };
  }

  /** The options as settings; validates names before any database is touched. */
  BenchSettings settings() {
    List<Variant> chosen = new ArrayList<>();
    for (String v : variants) {
      Variant parsed = Variant.parse(v);
      if (parsed == null) {
        throw new UserError("unknown --variants value '" + v + "' (use rls_on, rls_off, plain)");
      }
      chosen.add(parsed);
    }
    return BenchSettings.of(Profile.parse(profile))
        .withOnly(only)
        .withThreads(threads)
        .withQuerySources(queries.isEmpty() ? List.of(QueryCatalog.BUILTIN) : queries)
        .withVariants(chosen)
        .withJmhArgs(jmhArgs)
        .withSeed(seed)
        .withAllowUnmarked(database.allowUnmarked)
        .withVerbose(GlobalOptions.verbose);
  }
}

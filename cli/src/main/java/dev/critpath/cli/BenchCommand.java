package dev.critpath.cli;

import dev.critpath.UserError;
import dev.critpath.bench.Bench;
import dev.critpath.bench.BenchProfile;
import dev.critpath.bench.BenchSettings;
import dev.critpath.bench.BenchStage;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.db.Database;
import dev.critpath.run.Segment;
import dev.critpath.sampler.SampledStage;
import java.io.PrintWriter;
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
      "latency percentiles and throughput at 1 thread and each concurrency level, server time",
      "(pg_stat_statements) beside client time, RLS on vs off, writes committed and rolled",
      "back, targets checked.",
      "Writes results/<run-id>/run.json (section bench) and jmh.json (JMH's own JSON).",
      "Exit 1 when a query failed or missed its target, 2 when nothing was measured."
    })
final class BenchCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Mixin CatalogOptions catalog;
  @Mixin ResultsOptions results;
  @Mixin SegmentOptions segment;
  @Mixin StartAtOptions startAt;
  @Spec CommandSpec spec;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = "quick",
      description =
          "quick (CI, a few minutes), standard (1 fork, longer iterations) or thorough"
              + " (3 forks, longer iterations). Default: ${DEFAULT-VALUE}.")
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

  @Override
  public Integer call() throws Exception {
    Segment part = segment.segment();
    BenchSettings settings = settings().inSegment(part);
    Bench.validate(settings);
    Instant start = startAt.time();
    PrintWriter out = spec.commandLine().getOut();
    RunSession.checkWritable(results);
    try (Database db = database.open()) {
      out.println(DatabaseOptions.using(db));
      StartAtOptions.await(start, "bench", out);
      try (RunSession session = RunSession.start(results, "bench")) {
        session.run().record().setSegment(part);
        // each measurement is saved into run.json as it ends: Ctrl-C keeps the finished ones
        Bench.Outcome outcome =
            session.measure(
                run ->
                    SampledStage.run(
                        "bench",
                        db,
                        BenchStage.POOLS,
                        run,
                        s -> Bench.run(db, settings, run, out)));
        String verdict = outcome.report().verdict();
        session.finish(verdict);
        out.printf("bench: %s (%s), results in %s%n", verdict, outcome.summary(), session.path());
        return outcome.exitCode().code;
      }
    }
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
    return BenchSettings.of(BenchProfile.parse(profile))
        .withOnly(catalog.only)
        .withThreads(threads)
        .withQuerySources(
            catalog.queries.isEmpty() ? List.of(QueryCatalog.BUILTIN) : catalog.queries)
        .withVariants(chosen)
        .withJmhArgs(jmhArgs)
        .withSeed(catalog.seed)
        .withAllowUnmarked(database.allowUnmarked)
        .withVerbose(GlobalOptions.verbose);
  }
}

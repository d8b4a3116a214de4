package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.bench.InterleavedRounds;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.db.Database;
import dev.critpath.run.PairedRounds;
import dev.critpath.seed.Profile;
import dev.critpath.seed.SeedOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "ab",
    mixinStandardHelpOptions = true,
    description = {
      "Interleaved A/B on one runner: a baseline and a candidate (two schema directories, two",
      "query directories) migrated into two databases on one server, seeded identically, then",
      "measured alternately in rounds (ABBA), so machine drift hits both sides alike. Plans of",
      "both sides are captured once to name causes (plan changed, index gone).",
      "The verdict per path: Wilcoxon signed-rank on the per-round ratios, corrected for many",
      "paths (holm), with the effect floor. Writes run.json (section ab), compare.md,",
      "compare.html and compare.json into the run directory.",
      "Exit 0 no regression, 1 a regression, 2 broken input or nothing compared."
    })
final class AbCommand implements Callable<Integer> {
  /**
   * 20 rounds: the exact signed-rank test's smallest p-value is 2/2^20, so even the whole reference
   * catalog (17 series, Holm's first step 0.01/17) can reach significance with rounds to spare;
   * docs/ab.md has the measured false-alarm rate and detection at this setting.
   */
  static final String DEFAULT_ROUNDS = "20";

  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Mixin CatalogOptions catalog;
  @Mixin ResultsOptions results;
  @Mixin AbOptions ab;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (ab.roundsFrom != null) {
      return AbReport.rejudge(ab.roundsFrom, ab.compareOptions(), out);
    }
    QueryCatalog baseCatalog = load(ab.baselineQueries);
    QueryCatalog candCatalog = load(catalog.queries);
    List<String> paths = InterleavedRounds.commonPaths(baseCatalog, candCatalog, catalog.only);
    InterleavedRounds.Settings settings = settings();
    SeedOptions seed =
        SeedOptions.of(Profile.parse(ab.profile))
            .withSeed(ab.datasetSeed)
            .withAnchor(SeedOptions.today());
    ab.compareOptions();
    RunSession.checkWritable(results);
    try (Database server = database.open();
        RunSession session = RunSession.start(results, "ab");
        AbDatabases dbs = new AbDatabases(server)) {
      out.println(DatabaseOptions.using(server));
      ExitCode exit =
          session.measure(
              run -> {
                PairedRounds measured =
                    measure(dbs, baseCatalog, candCatalog, paths, seed, settings, out);
                return AbReport.judge(measured, run, ab.compareOptions(), out);
              });
      session.finish(RunSession.verdict(exit));
      out.println("ab: results in " + session.path());
      return exit.code;
    }
  }

  private PairedRounds measure(
      AbDatabases dbs,
      QueryCatalog baseCatalog,
      QueryCatalog candCatalog,
      List<String> paths,
      SeedOptions seed,
      InterleavedRounds.Settings settings,
      PrintWriter out) {
    Database a = dbs.create(AbDatabases.BASELINE);
    String versionA =
        AbDatabases.migrate(a, ab.baselineSchema, "baseline", "--baseline-schema").version();
    var dataA = AbDatabases.seed(a, seed);
    out.printf("ab: baseline migrated (version %s) and seeded%n", versionA);
    out.flush();
    // The candidate is a copy of the seeded baseline plus the candidate's own migrations: the same
    // rows in the same pages with the same planner statistics. Two separate seeds differ in
    // ANALYZE's random sample; an A/A run seeded separately measured unread_count 6x slower on one
    // side in every round (most likely a prepared statement's generic plan on one side only).
    Database b = dbs.copy(AbDatabases.CANDIDATE, a, AbDatabases.BASELINE);
    a = dbs.open(AbDatabases.BASELINE);
    String versionB;
    String how;
    try {
      versionB = AbDatabases.migrate(b, ab.schema, "candidate", "--schema").version();
      how =
          "a copy of the seeded baseline (CREATE DATABASE ... TEMPLATE), then the candidate's"
              + " migrations: identical rows, pages and planner statistics";
    } catch (UserError onTopFailed) {
      // the candidate's history is not the baseline's plus new migrations (one edited or removed)
      dbs.drop(AbDatabases.CANDIDATE, b);
      b = dbs.create(AbDatabases.CANDIDATE);
      versionB = AbDatabases.migrate(b, ab.schema, "candidate", "--schema").version();
      AbDatabases.seed(b, seed);
      how =
          "seeded separately (planner statistics may differ): the candidate's migrations do not"
              + " apply on top of the baseline's: "
              + onTopFailed.getMessage();
    }
    PairedRounds.Dataset dataset = AbDatabases.sameData(a, dataA, b, AbDatabases.dataset(b), how);
    out.printf(
        "ab: candidate migrated (version %s), dataset %s (%s) on both%n",
        versionB, dataset.fingerprint(), seed.profile());
    out.flush();
    PairedRounds.SideIdentity sideA =
        AbIdentity.of(
            a,
            ab.baselineSchema,
            versionA,
            sources(ab.baselineQueries),
            baseCatalog,
            paths,
            catalog.seed);
    PairedRounds.SideIdentity sideB =
        AbIdentity.of(
            b, ab.schema, versionB, sources(catalog.queries), candCatalog, paths, catalog.seed);
    List<PairedRounds.Series> series =
        InterleavedRounds.run(
            new InterleavedRounds.Side("baseline", a, baseCatalog),
            new InterleavedRounds.Side("candidate", b, candCatalog),
            settings,
            out);
    return new PairedRounds(
        sideA,
        sideB,
        dataset,
        settings.rounds(),
        settings.measurementNanos() / 1_000_000,
        series,
        List.of());
  }

  private InterleavedRounds.Settings settings() {
    if (ab.rounds < 1 || ab.rounds > AbOptions.MAX_ROUNDS) {
      throw new UserError(
          "--rounds must be between 1 and " + AbOptions.MAX_ROUNDS + ", got " + ab.rounds);
    }
    if (ab.measurementMs < 1) {
      throw new UserError("--round-time must be at least 1 ms, got " + ab.measurementMs);
    }
    List<Variant> chosen = new ArrayList<>();
    for (String v : ab.variants) {
      Variant parsed = Variant.parse(v);
      if (parsed == null) {
        throw new UserError("unknown --variants value '" + v + "' (use rls_on, rls_off, plain)");
      }
      chosen.add(parsed);
    }
    return new InterleavedRounds.Settings(
        ab.rounds, ab.measurementMs * 1_000_000, catalog.only, chosen, catalog.seed);
  }

  private static List<String> sources(List<String> dirs) {
    return dirs.isEmpty() ? List.of(QueryCatalog.BUILTIN) : dirs;
  }

  private static QueryCatalog load(List<String> dirs) {
    return QueryCatalog.load(sources(dirs));
  }
}

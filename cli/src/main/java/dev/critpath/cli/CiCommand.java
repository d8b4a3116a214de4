package dev.critpath.cli;

import dev.critpath.UserError;
import dev.critpath.bench.BenchSettings;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.seed.Profile;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./run.sh ci}: the default suite narrowed to what a merge gate compares, in one run
 * directory: migrate, seed, plans and counters (explain) and JMH replicates (bench) of every
 * catalog query, so that {@code compare} on two such runs can prove a slowdown and name its cause.
 */
@Command(
    name = "ci",
    mixinStandardHelpOptions = true,
    description = {
      "One run for a CI gate: migrate and seed the dataset (or use the database given),",
      "explain every catalog query (plans, indexes, buffers) and benchmark it with enough",
      "JMH replicates that compare can prove a 25%% slowdown; one run directory holds it all.",
      "Compare two such runs with ./run.sh compare BASELINE CURRENT. About 8.5 minutes on",
      "2 busy cores at the small dataset, estimated (docs/ci.md).",
      "Exit 1 when an expectation or target failed, 2 when a stage broke."
    })
final class CiCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Mixin CatalogOptions catalog;
  @Mixin ResultsOptions results;

  @Option(
      names = "--dataset",
      paramLabel = "PROFILE",
      defaultValue = "small",
      description =
          "Dataset seeded and measured: tiny, seed001, small, large or xlarge (default:"
              + " ${DEFAULT-VALUE}); a kept database that holds it is not seeded again.")
  String dataset;

  @Mixin SchemaOptions schema;

  @Option(
      names = "--jmh",
      paramLabel = "OPTIONS",
      description =
          "JMH options instead of the gate's ("
              + SuiteSettings.CI_JMH
              + "); fewer replicates"
              + " cannot prove a 25%% slowdown.")
  String jmhArgs;

  @Override
  public Integer call() {
    Profile profile;
    try {
      profile = Profile.parse(dataset);
    } catch (UserError e) {
      throw new UserError("--dataset: " + e.getMessage());
    }
    List<String> sources =
        catalog.queries.isEmpty() ? List.of(QueryCatalog.BUILTIN) : catalog.queries;
    QueryCatalog queries = QueryCatalog.load(sources);
    queries.select(catalog.only); // unknown names fail before any database is touched
    BenchSettings bench =
        BenchSettings.of(SuiteSettings.BENCH_PROFILE)
            .withOnly(catalog.only)
            .withQuerySources(sources)
            .withSeed(catalog.seed)
            .withAllowUnmarked(database.allowUnmarked)
            .withVerbose(GlobalOptions.verbose);
    SuiteSettings settings = SuiteSettings.ci(profile, bench, jmhArgs);
    return new DefaultSuite(
            database, settings, results, new DefaultSuite.Gate(schema.dir, queries, catalog.only))
        .run();
  }
}

package dev.critpath.cli;

import dev.critpath.report.compare.CompareOptions;
import dev.critpath.report.compare.Correction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code ./run.sh ab} beyond the database, catalog and results ones. */
final class AbOptions {
  static final int MAX_ROUNDS = 1000;

  @Option(
      names = "--baseline-schema",
      paramLabel = "DIR",
      description = "The baseline's Flyway migrations (default: the bundled schema).")
  Path baselineSchema;

  @Option(
      names = "--schema",
      paramLabel = "DIR",
      description = "The candidate's Flyway migrations (default: the bundled schema).")
  Path schema;

  @Option(
      names = "--baseline-queries",
      paramLabel = "DIR",
      description =
          "The baseline's catalog directories (repeat to merge; default: the reference catalog)."
              + " --queries gives the candidate's.")
  List<String> baselineQueries = new ArrayList<>();

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = AbCommand.DEFAULT_ROUNDS,
      description = "Measured rounds (after one warm-up round; default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--round-time",
      paramLabel = "MS",
      defaultValue = "200",
      description =
          "How long one side's measurement of one path takes on the baseline, in ms (the"
              + " candidate makes as many calls; default: ${DEFAULT-VALUE}).")
  long measurementMs;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = "small",
      description = "Dataset profile both sides are seeded with (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--dataset-seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Dataset seed both sides are seeded with (default: ${DEFAULT-VALUE}).")
  long datasetSeed;

  @Option(
      names = "--variants",
      split = ",",
      paramLabel = "V",
      description = "Variants to measure (default: each path's first declared one).")
  List<String> variants = new ArrayList<>();

  @Option(
      names = "--threshold",
      paramLabel = "PCT",
      defaultValue = "10%",
      description = "Smallest slowdown that counts as a regression (default: ${DEFAULT-VALUE}).")
  String threshold;

  @Option(
      names = "--alpha",
      paramLabel = "P",
      defaultValue = "0.01",
      description = "Significance level across all paths (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(
      names = "--correction",
      paramLabel = "METHOD",
      defaultValue = "holm",
      description = "holm (default), bh or none, as compare.")
  String correction;

  @Option(
      names = "--rounds-from",
      paramLabel = "DIR",
      description =
          "Measure nothing: judge the paired rounds stored in DIR (a run directory of ./run.sh"
              + " ab) again, e.g. with another --threshold, and rewrite its compare files.")
  Path roundsFrom;

  CompareOptions compareOptions() {
    return new CompareOptions(
        CompareCommand.percent(threshold),
        alpha,
        Correction.parse(correction),
        CompareOptions.DEFAULT_COUNTER_TOLERANCE,
        CompareOptions.ReplicateUnit.AUTO);
  }
}

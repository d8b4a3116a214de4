package dev.critpath.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * run.json's {@code ab} section: an interleaved A/B run ({@code ./run.sh ab}). Two databases on one
 * server, migrated from two schema directories and seeded identically, measured alternately in
 * rounds with two query catalogs; per path and variant each round's baseline and candidate value,
 * then the paired test's verdict.
 *
 * @param baseline the baseline side: where its schema and queries came from, and its plans
 * @param candidate the candidate side
 * @param dataset the profile, seed, fingerprint and row counts both sides hold (checked equal)
 * @param rounds measured rounds (after one warm-up round)
 * @param measurementMs how long one measurement of a series takes on the baseline
 * @param series the paired rounds
 * @param verdicts per path and variant, the paired test's outcome (empty until judged)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PairedRounds(
    SideIdentity baseline,
    SideIdentity candidate,
    Dataset dataset,
    int rounds,
    long measurementMs,
    List<Series> series,
    List<Verdict> verdicts) {

  /** The unit of every round's value. */
  public static final String UNIT = "ms/op";

  /**
   * One side.
   *
   * @param schema the schema directory, or "builtin" for the bundled schema
   * @param schemaHash SHA-256 (first 16 bytes, hex) over the directory's file names and contents
   * @param schemaVersion the Flyway version after migrating
   * @param queries the query directories ("builtin" for the reference catalog)
   * @param queriesHash SHA-256 over the catalog's files as parsed (name, source, SQL)
   * @param plans per path, the hot plan captured once before the rounds
   * @param indexes every index of the side's database (public schema), to tell "gone" from "unused"
   */
  public record SideIdentity(
      String schema,
      String schemaHash,
      String schemaVersion,
      List<String> queries,
      String queriesHash,
      Map<String, PlanSummary> plans,
      List<String> indexes) {}

  /**
   * One path's hot plan on one side.
   *
   * @param indexes the indexes its scans read
   * @param sharedBuffers shared buffers hit or read per call
   * @param error why no plan was captured, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PlanSummary(
      String fingerprint, String shape, List<String> indexes, Long sharedBuffers, String error) {}

  /**
   * What both sides were seeded with.
   *
   * @param candidateData how the candidate got its data: a copy of the seeded baseline (identical
   *     rows, physical layout and planner statistics) or seeded separately, and why
   */
  public record Dataset(
      String profile,
      long seed,
      String fingerprint,
      Map<String, Long> rowCounts,
      String candidateData) {}

  /**
   * One path and variant measured on both sides.
   *
   * @param calls calls per measurement, the same on both sides
   * @param baseline median ms per call, one per round
   * @param candidate median ms per call, one per round
   * @param order which side went first in each round, "AB" or "BA"
   * @param failure why it was not (fully) measured, naming the side; null when it was
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Series(
      String path,
      String variant,
      int calls,
      List<Double> baseline,
      List<Double> candidate,
      List<String> order,
      String failure) {}

  /**
   * The paired test of one series.
   *
   * @param change candidate / baseline - 1, the median of the per-round ratios
   * @param pValue Wilcoxon signed-rank, two-sided, on the per-round log ratios
   * @param adjustedP after the multiple-testing correction
   * @param verdict SLOWER, FASTER, SAME, INCONCLUSIVE or UNTESTED
   * @param causes why it got slower, from the two sides' plans
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Verdict(
      String path,
      String variant,
      Double change,
      Double pValue,
      Double adjustedP,
      String verdict,
      List<String> causes) {}

  /** The same rounds with their verdicts. */
  public PairedRounds withVerdicts(List<Verdict> judged) {
    return new PairedRounds(
        baseline, candidate, dataset, rounds, measurementMs, series, List.copyOf(judged));
  }
}

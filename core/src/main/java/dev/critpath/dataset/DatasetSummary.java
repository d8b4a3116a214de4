package dev.critpath.dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a seeded dataset holds: written by the seeder to {@code seed-summary.json} and to {@code
 * critpath.marker.dataset_summary}, read by samplers, benchmarks and reports so they know the data
 * they run on without scanning it.
 *
 * @param profile the seed profile name (tiny, seed001, small, large, xlarge)
 * @param seed the random seed; same profile and seed give the same data
 * @param fingerprint a digest of profile, seed, generator version and row counts
 * @param rows row count per table
 * @param entities how many rows of each {@link Ids.Entity} exist; ids run from 1 to the count
 * @param searchTerms words planted in message text at a known selectivity
 */
public record DatasetSummary(
    String profile,
    long seed,
    String fingerprint,
    Instant seededAt,
    Map<String, Long> rows,
    Map<Ids.Entity, Long> entities,
    List<SearchTerm> searchTerms) {

  /**
   * A search term and the share of messages that contain it.
   *
   * @param selectivity rare, medium or common
   * @param fraction the share of messages whose content contains the term
   */
  public record SearchTerm(String term, String selectivity, double fraction) {}

  public long count(Ids.Entity entity) {
    return entities.getOrDefault(entity, 0L);
  }
}

package dev.critpath.seed;

import dev.critpath.dataset.DatasetSummary;
import dev.critpath.io.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one seed did, written as {@code seed-summary.json}: the dataset (profile, seed, fingerprint,
 * row counts, id ranges, search terms) and how the load went (bytes, durations, rows/s per table,
 * index build times).
 *
 * @param fingerprint identifies the data up to the anchor (same profile, scale, seed and generator
 *     version give the same fingerprint and the same rows, shifted in time with the anchor)
 * @param foreignKeyChecks false when COPY ran with session_replication_role = replica (superuser):
 *     the rows are consistent by construction, and the tests check every foreign key
 * @param messagesRowsPerSecond rows of the messages table over the wall time of its COPY streams
 */
public record SeedReport(
    String profile,
    double scale,
    long seed,
    Instant anchor,
    String fingerprint,
    String generatorVersion,
    String database,
    String serverVersion,
    Instant startedAt,
    double seconds,
    double cleanupSeconds,
    double loadSeconds,
    int jobs,
    boolean foreignKeyChecks,
    long rows,
    long copyBytes,
    double messagesRowsPerSecond,
    List<TableStat> tables,
    List<IndexStat> indexes,
    Map<String, IdRange> idRanges,
    List<DatasetSummary.SearchTerm> searchTerms,
    Unread unread,
    DatasetSummary dataset) {

  public static final String FILE_NAME = "seed-summary.json";

  /**
   * @param copyBytes bytes streamed through COPY (binary format)
   * @param sizeBytes the table with its indexes and TOAST after the load
   * @param seconds from the first COPY stream's start to the last one's end
   */
  public record TableStat(
      String table,
      long rows,
      long copyBytes,
      long sizeBytes,
      int streams,
      double seconds,
      double rowsPerSecond,
      double analyzeSeconds) {}

  public record IndexStat(String table, String index, double seconds) {}

  /** The ids of one entity: first and last (inclusive) and how many. */
  public record IdRange(String first, String last, long count) {}

  /**
   * The unread hotspot: the user with the most unread messages over all their conversations.
   *
   * @param usersWithThousandsUnread users with at least 1,000 unread messages
   */
  public record Unread(
      long topUser, String topUserId, long topUserUnread, long usersWithThousandsUnread) {}

  /** Writes {@value #FILE_NAME} into {@code directory}, atomically; returns the file. */
  public Path write(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    Json.writeFile(file, this);
    return file;
  }
}

package dev.critpath.seed;

import java.time.Duration;

/**
 * Hears what the seeder is doing, for progress display. Called from several loader threads at once:
 * implementations must be thread-safe and quick.
 */
public interface SeedListener {

  /** A step outside the table loads: "cleanup", "verify", ... */
  default void step(String what) {}

  default void tableStarted(String table, long plannedRows) {}

  /** {@code rows} more rows of {@code table} reached the server. */
  default void rows(String table, long rows) {}

  default void tableLoaded(String table, long rows, Duration took) {}

  default void indexStarted(String table, String index) {}

  default void indexBuilt(String table, String index, Duration took) {}

  default void analyzeStarted(String table) {}

  default void analyzed(String table, Duration took) {}

  /** The seed finished (successfully or not); stop any display. */
  default void finished() {}

  static SeedListener silent() {
    return new SeedListener() {};
  }
}

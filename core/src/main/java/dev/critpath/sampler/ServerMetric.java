package dev.critpath.sampler;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the server sampler records each second, by the metric name scenario thresholds use ({@code
 * db_cpu: ['max<70']}) and run.json's samples carry.
 */
public enum ServerMetric {
  DB_CPU("db_cpu", "% of the host", "the database server's CPU, all its processes, % of the host"),
  DB_CONNECTIONS("db_connections", "connections", "client connections to the server, in any state"),
  DB_LOCK_WAITS("db_lock_waits", "sessions", "sessions waiting on a lock (wait_event_type Lock)"),
  DB_COMMITS("db_commits", "per second", "transactions committed in the run's database"),
  DB_ROLLBACKS("db_rollbacks", "per second", "transactions rolled back in the run's database"),
  DB_BLKS_READ("db_blks_read", "per second", "blocks read from disk or the OS cache"),
  DB_BLKS_HIT("db_blks_hit", "per second", "blocks found in shared buffers"),
  DB_TEMP_BYTES("db_temp_bytes", "bytes per second", "temporary file bytes written"),
  DB_DEADLOCKS("db_deadlocks", "per second", "deadlocks detected"),
  POOL_WAITING(
      "pool_waiting", "waiting", "callers waiting for a connection of the pools serving the load");

  private final String key;
  private final String unit;
  private final String about;

  ServerMetric(String key, String unit, String about) {
    this.key = key;
    this.unit = unit;
    this.about = about;
  }

  /** The name in thresholds and run.json. */
  public String key() {
    return key;
  }

  public String unit() {
    return unit;
  }

  public String about() {
    return about;
  }

  /** The metric named {@code key}, if it is one of these. */
  public static Optional<ServerMetric> named(String key) {
    return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
  }
}

package dev.critpath.inspect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Everything {@code inspect} found, as it goes into run.json under "inspect".
 *
 * @param statsReset when the counters behind the usage rules started (null: never reset)
 * @param checks every rule with whether it ran, and why not
 * @param findings what the rules found, worst first
 * @param indexes every index with its size and cumulative scans
 * @param hitRatios database-wide cache hit ratios (null when unreadable)
 * @param window usage during a benchmark run, when a starting snapshot was given
 * @param problems what could not be read (permissions, locks); the rest is still reported
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InspectResult(
    String database,
    String serverVersion,
    String user,
    Instant takenAt,
    Instant statsReset,
    String statsWindow,
    List<CheckRun> checks,
    List<Finding> findings,
    List<IndexRow> indexes,
    HitRatios hitRatios,
    StatsDelta window,
    List<String> problems) {

  /**
   * One index, as a DBA lists them.
   *
   * @param scans cumulative scans since the statistics reset; null when not readable
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IndexRow(
      String schema,
      String table,
      String index,
      String method,
      boolean unique,
      boolean primary,
      boolean valid,
      long sizeBytes,
      Long scans,
      Long tuplesRead,
      Instant lastScan,
      String definition) {}

  /** Shares of block reads served from shared buffers; null parts were not readable. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HitRatios(Double table, long tableBlocks, Double index, long indexBlocks) {}

  /** Findings at or above a severity. */
  public List<Finding> findings(Severity atLeast) {
    return findings.stream().filter(f -> f.severity().atLeast(atLeast)).toList();
  }

  /** Findings of one rule. */
  public List<Finding> findings(String check) {
    return findings.stream().filter(f -> f.check().equals(check)).toList();
  }

  @JsonIgnore
  public CheckRun check(String check) {
    return checks.stream().filter(cr -> cr.check().equals(check)).findFirst().orElse(null);
  }
}

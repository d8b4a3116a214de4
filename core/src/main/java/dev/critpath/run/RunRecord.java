package dev.critpath.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of run.json while a run is under way. Each pipeline stage adds its section (bench,
 * explain, inspect, http, ...) as a Jackson-serialisable value; the run directory saves the record
 * after every stage, so an interrupted run keeps everything measured so far and says it did not
 * complete. Report writers read the file back, never this object.
 */
@JsonPropertyOrder({
  "schemaVersion",
  "runId",
  "startedAt",
  "finishedAt",
  "completed",
  "verdict",
  "segment"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RunRecord {
  /**
   * Bumped on any incompatible change of run.json's shape. 2: one latency summary for http and
   * realtime (p95, not p95Ms; nothing measured is count 0 without percentiles). 3: targets and
   * thresholds as {@link ThresholdCheck} fields, not text to parse.
   */
  public static final int SCHEMA_VERSION = 3;

  private final String runId;
  private final Instant startedAt;
  private Instant finishedAt;
  private boolean completed;
  private String verdict;
  private Segment segment;
  private final Map<String, Object> sections = new LinkedHashMap<>();

  public RunRecord(String runId, Instant startedAt) {
    this.runId = runId;
    this.startedAt = startedAt;
  }

  public int getSchemaVersion() {
    return SCHEMA_VERSION;
  }

  public String getRunId() {
    return runId;
  }

  public Instant getStartedAt() {
    return startedAt;
  }

  public Instant getFinishedAt() {
    return finishedAt;
  }

  public boolean isCompleted() {
    return completed;
  }

  /** pass, fail or error once the run ends; absent while it runs. */
  public String getVerdict() {
    return verdict;
  }

  /** The execution segment this run measured ({@code --segment i/N}); absent for a whole run. */
  public Segment getSegment() {
    return segment;
  }

  /** Records that this run is one segment of a split run; the whole run records none. */
  public void setSegment(Segment value) {
    this.segment = value == null || value.isWhole() ? null : value;
  }

  public synchronized Map<String, Object> getSections() {
    return new LinkedHashMap<>(sections);
  }

  /** Adds or replaces a stage's section. */
  public synchronized void put(Section section, Object value) {
    sections.put(section.key(), value);
  }

  /** Marks the run finished; {@code completed} false when it was cut short. */
  public synchronized void finish(Instant at, boolean completedNormally, String finalVerdict) {
    this.finishedAt = at;
    this.completed = completedNormally;
    this.verdict = finalVerdict;
  }
}

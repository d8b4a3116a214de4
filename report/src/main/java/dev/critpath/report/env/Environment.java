package dev.critpath.report.env;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * run.json's {@code environment} section: what a run ran on, so a report can be trusted and a
 * comparison can tell whether two runs are comparable. Written by the CLI's environment stage
 * ({@code dev.critpath.environment.EnvironmentCollector}), read back by the report module from the
 * file. Holds no secrets: the server is described by its display form (no password) and settings
 * are the tuning ones only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Environment(
    Instant collectedAt,
    Postgres postgres,
    Critpath critpath,
    Jvm jvm,
    Host host,
    Dataset dataset,
    Pooler pooler,
    Schema schema) {

  /**
   * The database schema the run measured, from the migration history (Flyway's, in critpath's
   * schema): two runs on different schemas are not compared unless the user says so.
   *
   * @param version the newest applied migration's version
   * @param checksum a digest of every applied migration's version and checksum: equal when the same
   *     migrations, unedited, built the schema
   * @param migrations how many migrations were applied
   */
  public record Schema(String version, String checksum, Integer migrations) {}

  /**
   * What was between critpath and the server (see dev.critpath.db.Pooler).
   *
   * @param mode direct, session or transaction
   * @param detectedBy the observation the mode rests on, or "--pooler MODE" when the user chose
   * @param serverPreparedStatements whether named server-side prepared statements were used
   * @param preparedStatementsBy why they were on or off
   */
  public record Pooler(
      String mode,
      String detectedBy,
      boolean serverPreparedStatements,
      String preparedStatementsBy) {}

  /**
   * @param version {@code SELECT version()} shortened to "PostgreSQL 17.5"
   * @param versionNum server_version_num, e.g. 170005
   * @param server where it runs, for humans (never with a password)
   * @param settings planner, memory, I/O and statistics settings with their units ("128MB")
   * @param extensions installed extensions
   * @param indexes every index of the user schemas, qualified name to definition, so a comparison
   *     can tell that an index a plan used is gone
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Postgres(
      String version,
      Integer versionNum,
      String server,
      Map<String, String> settings,
      List<Extension> extensions,
      Map<String, String> indexes) {}

  public record Extension(String name, String version) {}

  /**
   * @param gitCommit the commit critpath (and the workload next to it) was built from; null outside
   *     a git checkout
   * @param gitDirty whether the working tree had uncommitted changes
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Critpath(String version, String gitCommit, Boolean gitDirty) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Jvm(String version, String vendor, String vmName, Long maxHeapBytes) {}

  /** The client machine (where critpath and JMH ran). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Host(String os, String arch, Integer cores, Long memoryBytes) {}

  /** The dataset loaded when the run started, from critpath.marker; null fields when unseeded. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Dataset(String profile, Long seed, String fingerprint) {}
}

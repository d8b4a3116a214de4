package dev.critpath.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.critpath.catalog.Expectation;
import dev.critpath.run.ThresholdCheck;
import java.util.List;

/**
 * run.json's {@code bench} section: per path, client-side latency and throughput from JMH beside
 * the server-side pg_stat_statements delta of the same window, the targets' verdicts and why
 * anything failed. JMH's own numbers are in {@code jmh.json}, unmodified. Times are milliseconds.
 *
 * @param latencyLog the latency log beside run.json with every sample-mode distribution in full
 *     ({@code bench.hlog}), absent when no sample-mode result exists
 * @param connectionErrors calls, over every path, that lost their connection and were retried on a
 *     new one (the server restarted or dropped it); any makes the verdict fail
 * @param verdict pass (every path measured, every target met, no connection lost), fail, or error
 *     (nothing measured)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchReport(
    String profile,
    Settings settings,
    Dataset dataset,
    String jmhFile,
    String latencyLog,
    String serverStats,
    int measured,
    int failed,
    int targetsMissed,
    long connectionErrors,
    String verdict,
    List<PathReport> queries) {

  /** The JMH settings in effect (profile, then --jmh overrides). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Settings(
      int forks,
      int warmupIterations,
      String warmupTime,
      int measurementIterations,
      String measurementTime,
      List<Integer> threads,
      long seed,
      List<String> catalog,
      String jmhArgs) {}

  /** The seeded dataset the numbers were measured on; null when the database holds none. */
  public record Dataset(String profile, long seed, String fingerprint) {}

  /**
   * One path.
   *
   * @param source the catalog file, or the Java class of a Java path
   * @param twinOf for a Java path, the catalog query it re-implements
   * @param writeHandling how writes were kept from piling up
   * @param status ok, failed or skipped
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PathReport(
      String name,
      String about,
      String source,
      String twinOf,
      String role,
      String write,
      String writeHandling,
      String sql,
      List<Param> params,
      String status,
      String reason,
      List<ThresholdCheck> targets,
      List<Expectation> expectations,
      List<VariantReport> variants,
      RlsOverhead rlsOverhead) {}

  /** How a parameter's values were drawn, as declared in the catalog. */
  public record Param(String name, String sampling, String location) {}

  /**
   * One variant of a path.
   *
   * @param queryId the pg_stat_statements query id its statement was matched by
   * @param latency SampleTime percentiles at 1 thread
   * @param server the server-side delta over the same (single-thread) measured window
   * @param clientMinusServerMs mean client latency minus mean server execution time: driver,
   *     network, pool, transaction and role setup
   * @param concurrency throughput (and, in thorough runs, latency) per thread count
   * @param latencyLog the latency log beside run.json with every sample-mode distribution in full
   *     ({@code bench.hlog}), absent when no sample-mode result exists
   * @param connectionErrors calls that lost their connection during the measurements; null if none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VariantReport(
      String variant,
      String status,
      String reason,
      String queryId,
      Latency latency,
      ServerStats server,
      Double clientMinusServerMs,
      List<Level> concurrency,
      ConnectionErrors connectionErrors) {}

  /**
   * Calls that lost their connection: each was counted, its thread reconnected and measured on.
   * Their time, the wait for the new connection included, is in the latency samples.
   *
   * @param first why the first one failed, and in which measurement
   */
  public record ConnectionErrors(long count, String first) {
    static final ConnectionErrors NONE = new ConnectionErrors(0, null);

    ConnectionErrors plus(ConnectionErrors later) {
      return new ConnectionErrors(count + later.count, first != null ? first : later.first);
    }
  }

  /** Latency distribution (JMH SampleTime) in milliseconds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Latency(
      String unit,
      int threads,
      long samples,
      double mean,
      Double error,
      double p50,
      double p90,
      double p95,
      double p99,
      @JsonProperty("p99.9") double p999,
      double max,
      List<Double> forkMeans) {}

  /**
   * Closed-loop throughput at one concurrency level.
   *
   * @param meanLatencyMs threads / throughput (Little's law, exact for a closed loop)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Level(
      int threads,
      double opsPerSec,
      Double error,
      double meanLatencyMs,
      List<Double> forkMeans,
      ServerStats server,
      Latency latency) {}

  /** pg_stat_statements delta (top-level statement) over the measurement iterations. */
  public record ServerStats(
      long calls,
      double meanExecMs,
      double totalExecMs,
      long sharedBlksHit,
      long sharedBlksRead,
      long rows,
      double sharedBlksHitPerCall,
      double sharedBlksReadPerCall,
      double rowsPerCall) {}

  /**
   * What RLS costs: rls_on minus rls_off at one thread.
   *
   * @param meanRatio rls_on mean / rls_off mean
   */
  public record RlsOverhead(double meanMs, double p50Ms, double p95Ms, double meanRatio) {}
}

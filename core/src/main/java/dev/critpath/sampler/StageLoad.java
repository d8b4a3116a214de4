package dev.critpath.sampler;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.critpath.run.NotCaptured;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server under one stage's load, as run.json's server section keeps it.
 *
 * @param stage bench, http or realtime
 * @param server which server was sampled: its system identifier (or, when the role may not read it,
 *     its postmaster's start time) and the database; what a merge checks the segments share
 * @param cpu how db_cpu was measured, or why it was not
 * @param samplerCost the sampler's own backend CPU against the server's over the stage, null when
 *     the server's CPU is not visible
 * @param summary per metric: max and mean over the samples
 * @param samples one per second
 * @param notCaptured what the sampler could not see, and why
 * @param notVisible per metric the sampler could not see: why (what a threshold on it says)
 * @param merged how a merged run's samples were combined from its segments'; null for a run's own
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageLoad(
    String stage,
    String server,
    Instant startedAt,
    double seconds,
    int intervalMs,
    String cpu,
    SamplerCost samplerCost,
    Map<String, Summary> summary,
    List<ServerSample> samples,
    List<NotCaptured> notCaptured,
    Map<String, String> notVisible,
    String merged) {

  /** Why {@code metric} was not recorded, if it was not. */
  public Optional<String> hidden(ServerMetric metric) {
    return Optional.ofNullable(notVisible == null ? null : notVisible.get(metric.key()));
  }

  /** The samples taken after {@code from}, up to and including {@code to} (wall clock). */
  public List<ServerSample> between(Instant from, Instant to) {
    return samples.stream()
        .filter(
            s -> {
              Instant at = startedAt.plusMillis(Math.round(s.t() * MILLIS_PER_SECOND));
              return at.isAfter(from) && !at.isAfter(to);
            })
        .toList();
  }

  /** Per metric over {@code samples}: its max and mean, for the metrics any sample carries. */
  static Map<String, Summary> summarize(List<ServerSample> samples) {
    Map<String, Summary> summary = new LinkedHashMap<>();
    for (ServerMetric m : ServerMetric.values()) {
      double[] values =
          samples.stream()
              .map(s -> s.value(m))
              .filter(v -> v != null)
              .mapToDouble(v -> v)
              .toArray();
      if (values.length > 0) {
        double max = Arrays.stream(values).max().orElseThrow();
        double mean = Arrays.stream(values).average().orElseThrow();
        summary.put(m.key(), new Summary(max, Math.round(mean * 100) / 100.0, values.length));
      }
    }
    return summary;
  }

  private static final double MILLIS_PER_SECOND = 1000;

  /** Max and mean of a metric over the stage's samples. */
  public record Summary(double max, double mean, int samples) {}

  /**
   * What sampling cost the server: the sampler's backend's CPU seconds against the whole server's.
   */
  public record SamplerCost(double samplerCpuSeconds, double serverCpuSeconds, Double share) {
    /** The cost of {@code sampler} CPU seconds out of the server's {@code server}. */
    static SamplerCost of(double sampler, double server) {
      return new SamplerCost(
          sampler, server, server > 0 ? Math.round(sampler / server * 1e4) / 1e4 : null);
    }
  }
}

package dev.critpath.sampler;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.critpath.run.NotCaptured;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The server under one stage's load, as run.json's server section keeps it.
 *
 * @param stage bench, http or realtime
 * @param cpu how db_cpu was measured, or why it was not
 * @param samplerCost the sampler's own backend CPU against the server's over the stage, null when
 *     the server's CPU is not visible
 * @param summary per metric: max and mean over the samples
 * @param samples one per second
 * @param notCaptured what the sampler could not see, and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageLoad(
    String stage,
    Instant startedAt,
    double seconds,
    int intervalMs,
    String cpu,
    SamplerCost samplerCost,
    Map<String, Summary> summary,
    List<ServerSample> samples,
    List<NotCaptured> notCaptured) {

  /** Max and mean of a metric over the stage's samples. */
  public record Summary(double max, double mean, int samples) {}

  /**
   * What sampling cost the server: the sampler's backend's CPU seconds against the whole server's.
   */
  public record SamplerCost(double samplerCpuSeconds, double serverCpuSeconds, Double share) {}
}

package dev.critpath.sampler;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One second of the server under load.
 *
 * @param t seconds since the stage started
 * @param nanos when it was taken (System.nanoTime), to cut out a scenario's window
 * @param connections client connections by pg_stat_activity state ("hidden": another role's session
 *     whose state the sampler's role may not see)
 * @param metrics {@link ServerMetric} key to value; a metric not visible is absent; the
 *     pg_stat_database ones are the change since the previous sample (absent in the first)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ServerSample(
    double t,
    @JsonIgnore long nanos,
    Map<String, Integer> connections,
    Map<String, Double> metrics) {

  public ServerSample {
    // read back from run.json, where an empty map is left out
    connections = connections == null ? Map.of() : connections;
    metrics = metrics == null ? Map.of() : metrics;
  }

  /** The value of {@code metric}, or null when not recorded in this sample. */
  public Double value(ServerMetric metric) {
    return metrics.get(metric.key());
  }
}

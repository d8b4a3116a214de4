package dev.critpath.http.scenario;

import dev.critpath.network.NetworkProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One scenario of a file, in k6's terms. Fields an executor does not use are zero or empty.
 *
 * @param exec the requests one iteration sends, in order
 * @param timeUnit the period {@code rate} is counted in (arrival-rate executors)
 * @param network the client link its VUs connect over, or null for a direct connection
 */
public record ScenarioSpec(
    String name,
    Executor executor,
    List<String> exec,
    Duration startTime,
    Duration gracefulStop,
    ThinkTime thinkTime,
    Map<String, String> tags,
    long vus,
    long iterations,
    Duration duration,
    Duration maxDuration,
    long startVUs,
    List<Stage> stages,
    Duration gracefulRampDown,
    double rate,
    double startRate,
    Duration timeUnit,
    long preAllocatedVUs,
    long maxVUs,
    NetworkProfile network,
    int line) {

  /** How long the scenario runs at most, grace periods excluded. */
  public Duration plannedDuration() {
    switch (executor) {
      case SHARED_ITERATIONS:
      case PER_VU_ITERATIONS:
        return maxDuration;
      case RAMPING_VUS:
      case RAMPING_ARRIVAL_RATE:
        return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
      default:
        return duration;
    }
  }

  /** The same scenario over another client link (null: direct). */
  public ScenarioSpec withNetwork(NetworkProfile link) {
    return new ScenarioSpec(
        name,
        executor,
        exec,
        startTime,
        gracefulStop,
        thinkTime,
        tags,
        vus,
        iterations,
        duration,
        maxDuration,
        startVUs,
        stages,
        gracefulRampDown,
        rate,
        startRate,
        timeUnit,
        preAllocatedVUs,
        maxVUs,
        link,
        line);
  }

  /** The phase this scenario reports under: its {@code phase} tag, else its name. */
  public String phase() {
    return tags.getOrDefault("phase", name);
  }
}

package dev.critpath.http.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One scenario of a file, in k6's terms. Fields an executor does not use are zero or empty.
 *
 * @param exec the requests one iteration sends, in order
 * @param timeUnit the period {@code rate} is counted in (arrival-rate executors)
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

  /** The phase this scenario reports under: its {@code phase} tag, else its name. */
  public String phase() {
    return tags.getOrDefault("phase", name);
  }
}

package dev.critpath.http.scenario;

import dev.critpath.network.NetworkProfile;
import dev.critpath.run.Segment;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One scenario of a file, in k6's terms. Fields an executor does not use are zero or empty.
 *
 * @param exec the requests one iteration sends, in order
 * @param timeUnit the period {@code rate} is counted in (arrival-rate executors)
 * @param network the client link its VUs connect over, or null for a direct connection
 * @param segment the execution segment this process runs ({@link Segment#WHOLE}: all of it); the
 *     counts above are already its share, the arrivals and ramping VU targets are striped at run
 *     time from the whole plan
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
    List<RampStage> stages,
    Duration gracefulRampDown,
    double rate,
    double startRate,
    Duration timeUnit,
    long preAllocatedVUs,
    long maxVUs,
    NetworkProfile network,
    Segment segment,
    int line) {

  /** How long the scenario runs at most, grace periods excluded. */
  public Duration plannedDuration() {
    switch (executor) {
      case SHARED_ITERATIONS:
      case PER_VU_ITERATIONS:
        return maxDuration;
      case RAMPING_VUS:
      case RAMPING_ARRIVAL_RATE:
        return stages.stream().map(RampStage::duration).reduce(Duration.ZERO, Duration::plus);
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
        segment,
        line);
  }

  /**
   * This scenario's share in {@code part}: VUs, iterations and VU pools scaled as k6 scales them
   * ({@link Segment#scale}); a pool keeps one VU where the segment has arrivals to start. Start
   * VUs, stage targets and rates stay the whole's: the runs stripe them over time.
   */
  public ScenarioSpec inSegment(Segment part) {
    if (part.isWhole()) {
      return this;
    }
    long pre = part.scale(preAllocatedVUs);
    if (executor.openModel && pre == 0 && maxVUs > 0) {
      pre = 1;
    }
    return new ScenarioSpec(
        name,
        executor,
        exec,
        startTime,
        gracefulStop,
        thinkTime,
        tags,
        part.scale(vus),
        executor == Executor.PER_VU_ITERATIONS ? iterations : part.scale(iterations),
        duration,
        maxDuration,
        startVUs,
        stages,
        gracefulRampDown,
        rate,
        startRate,
        timeUnit,
        pre,
        Math.max(pre, part.scale(maxVUs)),
        network,
        part,
        line);
  }

  /** False when this segment's share of the scenario is empty (fewer VUs than segments). */
  public boolean hasLoad() {
    switch (executor) {
      case RAMPING_VUS:
        long most =
            Math.max(startVUs, stages.stream().mapToLong(RampStage::target).max().orElse(0));
        return segment.scale(most) > 0;
      case CONSTANT_ARRIVAL_RATE:
      case RAMPING_ARRIVAL_RATE:
        return true;
      default:
        return vus > 0;
    }
  }

  /** The phase this scenario reports under: its {@code phase} tag, else its name. */
  public String phase() {
    return tags.getOrDefault("phase", name);
  }
}

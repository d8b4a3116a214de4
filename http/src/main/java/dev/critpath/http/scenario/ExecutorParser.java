package dev.critpath.http.scenario;

import dev.critpath.network.NetworkProfile;
import dev.critpath.run.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the scenarios: section: its executor (k6's names and fields), requests and timing.
 */
final class ExecutorParser {
  static final Duration DEFAULT_GRACEFUL_STOP = Duration.ofSeconds(30);
  static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(10);

  private ExecutorParser() {}

  static ScenarioSpec parse(
      String name, YamlNode s, Map<String, RequestSpec> requests, NetworkProfile fileNetwork) {
    YamlFields.checkName(s, name, "scenario");
    Executor executor;
    try {
      executor = Executor.of(s.get("executor").require().text());
    } catch (IllegalArgumentException e) {
      throw s.get("executor").error(e.getMessage());
    }
    Set<String> allowed = new LinkedHashSet<>(Executor.COMMON);
    allowed.addAll(executor.fields);
    s.allowOnly(allowed, executor.k6Name);

    List<String> exec = exec(s, requests);
    ThinkTime think = thinkTime(s);
    Load load = load(executor, s);
    return new ScenarioSpec(
        name,
        executor,
        List.copyOf(exec),
        YamlFields.nonNegative(s.get("startTime"), Duration.ZERO),
        YamlFields.nonNegative(s.get("gracefulStop"), DEFAULT_GRACEFUL_STOP),
        think,
        YamlFields.tags(s.get("tags")),
        load.vus,
        load.iterations,
        load.duration,
        load.maxDuration,
        load.startVUs,
        load.stages,
        load.rampDown,
        load.rate,
        load.startRate,
        load.timeUnit,
        load.preAllocated,
        load.maxVUs,
        YamlFields.network(s.get("network"), fileNetwork),
        Segment.WHOLE,
        s.line());
  }

  /** The requests each iteration sends, in order; the only request when there is one. */
  private static List<String> exec(YamlNode s, Map<String, RequestSpec> requests) {
    List<String> exec = new ArrayList<>();
    for (YamlNode e : s.get("exec").items()) {
      String req = e.text();
      if (!requests.containsKey(req)) {
        throw e.error(
            "no request \"" + req + "\" (requests: " + String.join(", ", requests.keySet()) + ")");
      }
      exec.add(req);
    }
    if (exec.isEmpty()) {
      if (requests.size() != 1) {
        throw s.error(
            "exec: name the request(s) each iteration sends (requests: "
                + String.join(", ", requests.keySet())
                + ")");
      }
      exec.addAll(requests.keySet());
    }
    return exec;
  }

  private static ThinkTime thinkTime(YamlNode s) {
    try {
      return s.has("thinkTime") ? ThinkTime.parse(s.get("thinkTime").text()) : ThinkTime.NONE;
    } catch (IllegalArgumentException e) {
      throw s.get("thinkTime").error(e.getMessage());
    }
  }

  /** The executor's own fields; k6's defaults for the rest. */
  private static final class Load {
    long vus;
    long iterations;
    Duration duration = Duration.ZERO;
    Duration maxDuration = Duration.ZERO;
    long startVUs;
    List<RampStage> stages = List.of();
    Duration rampDown = Duration.ZERO;
    double rate;
    double startRate;
    Duration timeUnit = Duration.ofSeconds(1);
    long preAllocated;
    long maxVUs;
  }

  private static Load load(Executor executor, YamlNode s) {
    Load load = new Load();
    switch (executor) {
      case SHARED_ITERATIONS:
      case PER_VU_ITERATIONS:
        load.vus = s.get("vus").integer(1, 1);
        load.iterations = s.get("iterations").integer(1, 1);
        load.maxDuration = YamlFields.positive(s.get("maxDuration"), DEFAULT_MAX_DURATION);
        if (executor == Executor.SHARED_ITERATIONS && load.iterations < load.vus) {
          throw s.get("iterations")
              .error(
                  "shared-iterations needs iterations >= vus ("
                      + load.iterations
                      + " < "
                      + load.vus
                      + ")");
        }
        break;
      case CONSTANT_VUS:
        load.vus = s.get("vus").integer(1, 1);
        load.duration = YamlFields.positive(s.get("duration").require(), null);
        break;
      case RAMPING_VUS:
        load.startVUs = s.get("startVUs").integer(1, 0);
        load.stages = stagesOrShape(s);
        load.rampDown = YamlFields.nonNegative(s.get("gracefulRampDown"), DEFAULT_GRACEFUL_STOP);
        break;
      case CONSTANT_ARRIVAL_RATE:
        load.rate = rate(s.get("rate").require());
        load.timeUnit = YamlFields.positive(s.get("timeUnit"), load.timeUnit);
        load.duration = YamlFields.positive(s.get("duration").require(), null);
        load.preAllocated = s.get("preAllocatedVUs").require().integer(0, 1);
        load.maxVUs = s.get("maxVUs").integer(load.preAllocated, 1);
        break;
      case RAMPING_ARRIVAL_RATE:
        load.startRate = s.has("startRate") ? rate(s.get("startRate")) : 0;
        load.timeUnit = YamlFields.positive(s.get("timeUnit"), load.timeUnit);
        load.stages = stagesOrShape(s);
        load.preAllocated = s.get("preAllocatedVUs").require().integer(0, 1);
        load.maxVUs = s.get("maxVUs").integer(load.preAllocated, 1);
        break;
      default:
        throw new IllegalStateException(executor.toString());
    }
    if (load.maxVUs < load.preAllocated) {
      throw s.get("maxVUs")
          .error(
              "maxVUs (" + load.maxVUs + ") is below preAllocatedVUs (" + load.preAllocated + ")");
    }
    return load;
  }

  private static double rate(YamlNode n) {
    double r = n.number(0);
    if (r < 0 || Double.isNaN(r)) {
      throw n.error("a rate cannot be negative");
    }
    return r;
  }

  /**
   * {@code stages:}, or {@code shape:} (one of seed 001's named shapes) around {@code base:} (the
   * normal level: VUs, or iterations per timeUnit).
   */
  private static List<RampStage> stagesOrShape(YamlNode s) {
    if (!s.has("shape")) {
      if (s.has("base")) {
        throw s.get("base").error("base: sets the normal level of a shape: add shape:");
      }
      return stages(s.get("stages"));
    }
    if (s.has("stages")) {
      throw s.get("shape").error("give stages: or shape:, not both");
    }
    YamlNode base = s.get("base").require();
    double level = base.number(0);
    if (!(level > 0)) {
      throw base.error("base: the normal level must be above 0");
    }
    try {
      return Shapes.expand(s.get("shape").text(), level);
    } catch (IllegalArgumentException e) {
      throw s.get("shape").error(e.getMessage());
    }
  }

  private static List<RampStage> stages(YamlNode node) {
    List<RampStage> out = new ArrayList<>();
    for (YamlNode st : node.require().items()) {
      st.allowOnly(Set.of("duration", "target"), "a stage");
      out.add(
          new RampStage(
              YamlFields.nonNegative(st.get("duration").require(), null),
              st.get("target").require().integer(0, 0)));
    }
    if (out.stream().allMatch(st -> st.duration().isZero())) {
      throw node.error("stages add up to no time at all");
    }
    return List.copyOf(out);
  }
}

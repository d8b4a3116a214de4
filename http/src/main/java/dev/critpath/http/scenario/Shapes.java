package dev.critpath.http.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 001's five load shapes as named stage lists ({@code shape: spike-10x} with {@code base:} the
 * normal level): the VUs of ramping-vus or the rate of ramping-arrival-rate, as multiples of base.
 * The seed names the levels and the spike's, soak's and ramp's lengths; the other lengths follow
 * its dashboard test (2 min up, 5 min held, 2 min down) and its spike phase (up in 1 minute, then
 * "verify the system recovers" at the normal level).
 */
final class Shapes {
  /** One step of a shape: move linearly to {@code times} x base over {@code duration}. */
  private record Step(Duration duration, double times) {}

  private static final Duration RAMP = Duration.ofMinutes(2);
  private static final Duration HOLD = Duration.ofMinutes(5);

  private static final Map<String, List<Step>> SHAPES = new LinkedHashMap<>();

  static {
    SHAPES.put("normal", plateau(1, HOLD));
    SHAPES.put("peak-3x", plateau(3, HOLD));
    SHAPES.put(
        "spike-10x",
        List.of(
            new Step(RAMP, 1),
            new Step(Duration.ofMinutes(1), 10),
            new Step(HOLD, 10),
            new Step(Duration.ofMinutes(1), 1),
            new Step(RAMP, 1)));
    SHAPES.put("sustained-2x", plateau(2, Duration.ofHours(1)));
    SHAPES.put("ramp-10x", List.of(new Step(Duration.ofMinutes(30), 10)));
  }

  private Shapes() {}

  /** Up to {@code times} x base, held for {@code hold}, back down to zero. */
  private static List<Step> plateau(double times, Duration hold) {
    return List.of(new Step(RAMP, times), new Step(hold, times), new Step(RAMP, 0));
  }

  /** The names, in the seed's order. */
  static List<String> names() {
    return List.copyOf(SHAPES.keySet());
  }

  /**
   * The stages of shape {@code name} around {@code base}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  static List<RampStage> expand(String name, double base) {
    List<Step> steps = SHAPES.get(name);
    if (steps == null) {
      throw new IllegalArgumentException(
          "unknown shape \"" + name + "\" (known: " + String.join(", ", SHAPES.keySet()) + ")");
    }
    List<RampStage> stages = new ArrayList<>();
    for (Step s : steps) {
      stages.add(new RampStage(s.duration(), Math.round(base * s.times())));
    }
    return List.copyOf(stages);
  }
}

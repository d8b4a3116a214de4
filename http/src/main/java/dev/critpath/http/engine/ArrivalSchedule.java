package dev.critpath.http.engine;

import dev.critpath.http.scenario.RampStage;
import dev.critpath.http.scenario.ScenarioSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * When each iteration of an arrival-rate scenario is due: iteration i starts when the integral of
 * the rate reaches i. Constant rates are one segment; ramping stages are linear segments, solved in
 * closed form, so the plan never drifts however long it runs.
 */
final class ArrivalSchedule {
  static final long NEVER = Long.MAX_VALUE;

  /** A segment: rate moves linearly from r0 to r1 (iterations per ns) over [start, start+len). */
  private record Segment(long startNanos, long lengthNanos, double r0, double r1, double before) {
    double count() {
      return (r0 + r1) / 2 * lengthNanos;
    }
  }

  private final List<Segment> segments;

  private ArrivalSchedule(List<Segment> segments) {
    this.segments = segments;
  }

  static ArrivalSchedule of(ScenarioSpec spec) {
    double unit = spec.timeUnit().toNanos();
    List<Segment> segments = new ArrayList<>();
    switch (spec.executor()) {
      case CONSTANT_ARRIVAL_RATE:
        segments.add(
            new Segment(0, spec.duration().toNanos(), spec.rate() / unit, spec.rate() / unit, 0));
        break;
      case RAMPING_ARRIVAL_RATE:
        {
          long at = 0;
          double before = 0;
          double from = spec.startRate() / unit;
          for (RampStage st : spec.stages()) {
            double to = st.target() / unit;
            Segment s = new Segment(at, st.duration().toNanos(), from, to, before);
            segments.add(s);
            before += s.count();
            at += st.duration().toNanos();
            from = to;
          }
          break;
        }
      default:
        throw new IllegalArgumentException(spec.executor() + " is not an arrival-rate executor");
    }
    return new ArrivalSchedule(List.copyOf(segments));
  }

  /** Offset from the scenario start at which iteration {@code i} is due, or NEVER. */
  long offsetOf(long i) {
    for (Segment s : segments) {
      double need = i - s.before();
      if (need < 0 || need >= s.count()) {
        continue;
      }
      double a = s.r0();
      double b = (s.r1() - s.r0()) / s.lengthNanos();
      double tau;
      if (Math.abs(b) < 1e-30) {
        tau = need / a;
      } else {
        // solve a*t + b*t^2/2 = need for the first t >= 0
        tau = (-a + Math.sqrt(Math.max(0, a * a + 2 * b * need))) / b;
      }
      return s.startNanos() + Math.max(0, Math.min(s.lengthNanos(), Math.round(tau)));
    }
    return NEVER;
  }

  /** How many iterations the whole schedule plans. */
  long total() {
    double n = 0;
    for (Segment s : segments) {
      n += s.count();
    }
    return (long) Math.ceil(n - 1e-9);
  }
}

package dev.critpath.http.scenario;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Pause after each iteration: fixed ({@code 1s}) or uniform in a range ({@code 1s..3s}). */
public record ThinkTime(Duration min, Duration max) {
  public static final ThinkTime NONE = new ThinkTime(Duration.ZERO, Duration.ZERO);

  public static ThinkTime parse(String text) {
    int dots = text.indexOf("..");
    if (dots < 0) {
      Duration d = Durations.parse(text);
      return new ThinkTime(d, d);
    }
    Duration lo = Durations.parse(text.substring(0, dots));
    Duration hi = Durations.parse(text.substring(dots + 2));
    if (hi.compareTo(lo) < 0) {
      throw new IllegalArgumentException(
          "think time \"" + text + "\": the upper bound is below the lower");
    }
    return new ThinkTime(lo, hi);
  }

  public boolean isNone() {
    return max.isZero();
  }

  public long nextNanos() {
    long lo = min.toNanos();
    long hi = max.toNanos();
    return lo == hi ? lo : ThreadLocalRandom.current().nextLong(lo, hi + 1);
  }
}

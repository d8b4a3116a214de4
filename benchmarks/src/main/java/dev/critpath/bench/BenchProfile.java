package dev.critpath.bench;

import dev.critpath.UserError;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JMH settings profiles. JMH's own defaults (5 forks x 5 warmup + 5 measurement iterations of 10 s)
 * take about eight minutes per benchmark; a catalog has dozens, so each profile trades time for
 * confidence explicitly. {@code --jmh} overrides any of these settings.
 */
public enum BenchProfile {
  /** CI: every reference path in a few minutes; numbers for trends, not for fine comparisons. */
  QUICK(1, 1, TimeValue.milliseconds(500), 3, TimeValue.milliseconds(500), List.of(2, 8)),
  /** A developer's run: one fork, steadier iterations, the full concurrency ladder. */
  STANDARD(1, 2, TimeValue.seconds(2), 5, TimeValue.seconds(2), List.of(1, 2, 8, 32)),
  /** Before a decision: several forks (run-to-run variance), longer iterations. */
  THOROUGH(3, 3, TimeValue.seconds(3), 5, TimeValue.seconds(3), List.of(1, 2, 8, 32));

  public final int forks;
  public final int warmupIterations;
  public final TimeValue warmupTime;
  public final int measurementIterations;
  public final TimeValue measurementTime;

  /** Concurrency levels measured (percentiles and throughput) when --threads is not given. */
  public final List<Integer> threads;

  BenchProfile(
      int forks,
      int warmupIterations,
      TimeValue warmupTime,
      int measurementIterations,
      TimeValue measurementTime,
      List<Integer> threads) {
    this.forks = forks;
    this.warmupIterations = warmupIterations;
    this.warmupTime = warmupTime;
    this.measurementIterations = measurementIterations;
    this.measurementTime = measurementTime;
    this.threads = threads;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BenchProfile parse(String name) {
    for (BenchProfile p : values()) {
      if (p.id().equals(name.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new UserError("unknown --profile '" + name + "' (use quick, standard or thorough)");
  }
}

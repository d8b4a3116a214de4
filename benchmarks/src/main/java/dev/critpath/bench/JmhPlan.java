package dev.critpath.bench;

import dev.critpath.catalog.Variant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Mode;

/**
 * One JMH invocation: a mode at a thread count for one variant of several paths.
 *
 * <p>Every measurement samples latency (SampleTime), so each concurrency level has its percentiles;
 * its throughput follows from them by Little's law (threads / mean latency, exact for the closed
 * loop JMH runs), which spares a separate Throughput measurement per level: the quick profile
 * measures as many benchmarks as when it ran Throughput at its levels and had no percentiles there.
 */
record JmhPlan(Mode mode, int threads, Variant variant, List<String> paths) {

  /**
   * Latency at one thread for every variant, then at each level above one for the paths measured
   * under concurrency (the 1-thread measurement is level 1).
   */
  static List<JmhPlan> plan(Collection<PathRun> runs, List<Integer> levels) {
    List<JmhPlan> plans = new ArrayList<>();
    for (Variant v : Variant.values()) {
      List<String> names = names(runs, r -> r.variants.contains(v) && r.healthy(v));
      if (!names.isEmpty()) {
        plans.add(new JmhPlan(Mode.SampleTime, 1, v, names));
      }
    }
    for (int t : levels) {
      if (t == 1) {
        continue;
      }
      for (Variant v : Variant.values()) {
        List<String> names = names(runs, r -> r.throughputVariants.contains(v) && r.healthy(v));
        if (!names.isEmpty()) {
          plans.add(new JmhPlan(Mode.SampleTime, t, v, names));
        }
      }
    }
    return plans;
  }

  private static List<String> names(Collection<PathRun> runs, Predicate<PathRun> filter) {
    return runs.stream().filter(filter).map(r -> r.path.name()).toList();
  }

  /** How long the plans take, roughly. */
  static String estimate(List<JmhPlan> plans, JmhOptions jmh) {
    int benchmarks = plans.stream().mapToInt(p -> p.paths().size()).sum();
    double perFork =
        jmh.warmupIterations() * jmh.warmupTime().convertTo(TimeUnit.MILLISECONDS)
            + jmh.measurementIterations() * jmh.measurementTime().convertTo(TimeUnit.MILLISECONDS);
    double jvmStart = jmh.forks() == 0 ? 0.2 : 1.5; // seconds to start a forked JVM and connect
    double seconds = benchmarks * Math.max(1, jmh.forks()) * (perFork / 1000.0 + jvmStart);
    return seconds < 90 ? Math.round(seconds) + " s" : Math.round(seconds / 60) + " min";
  }
}

package dev.critpath.bench;

import dev.critpath.catalog.Variant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Mode;

/** One JMH invocation: a mode at a thread count for one variant of several paths. */
record JmhPlan(Mode mode, int threads, Variant variant, List<String> paths) {

  /** Latency at one thread for every variant, then throughput (and latency) per level. */
  static List<JmhPlan> plan(
      Collection<PathRun> runs, List<Integer> levels, BenchSettings settings) {
    List<JmhPlan> plans = new ArrayList<>();
    for (Variant v : Variant.values()) {
      List<String> names = names(runs, r -> r.variants.contains(v) && r.healthy(v));
      if (!names.isEmpty()) {
        plans.add(new JmhPlan(Mode.SampleTime, 1, v, names));
      }
    }
    for (int t : levels) {
      for (Variant v : Variant.values()) {
        List<String> names = names(runs, r -> r.throughputVariants.contains(v) && r.healthy(v));
        if (names.isEmpty()) {
          continue;
        }
        plans.add(new JmhPlan(Mode.Throughput, t, v, names));
        if (settings.profile().sampleEveryLevel && t > 1) {
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

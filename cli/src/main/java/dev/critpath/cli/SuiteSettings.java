package dev.critpath.cli;

import dev.critpath.bench.BenchSettings;
import dev.critpath.catalog.Variant;
import dev.critpath.http.BundledHttpStage;
import dev.critpath.realtime.RealtimeSettings;
import dev.critpath.realtime.Vsn;
import dev.critpath.seed.Profile;
import java.time.Duration;
import java.util.List;

/**
 * How big and how long the default suite runs: the real measurement, or the smoke run that takes
 * the same pipeline through every stage at its shortest (for tests of the pipeline itself; its
 * numbers are not worth comparing).
 *
 * @param dataset the seed profile the suite loads and measures
 * @param bench the JMH settings
 * @param httpTimeScale every phase of the bundled HTTP scenarios is this fraction of its length
 * @param realtime the realtime run
 */
record SuiteSettings(
    Profile dataset, BenchSettings bench, double httpTimeScale, RealtimeSettings realtime) {

  /** The bare run's dataset: seed 002's acceptance volume. */
  static final Profile DEFAULT_DATASET = Profile.SMALL;

  /** JMH settings of the bare run: every reference path in a few minutes. */
  static final dev.critpath.bench.BenchProfile BENCH_PROFILE =
      dev.critpath.bench.BenchProfile.QUICK;

  /**
   * Smoke JMH settings: one 100 ms iteration, no warmup, one concurrency level, in this JVM. A fork
   * per measurement would cost ~2 s each (40 of them); what forks print and how the password
   * reaches them is covered by the interrupted-run test, which benchmarks with forks.
   */
  static final String SMOKE_JMH = "-f 0 -wi 0 -i 1 -r 100ms";

  static final List<Integer> SMOKE_THREADS = List.of(2);

  /** Smoke HTTP: a tenth of each scenario's phases (the edge-functions file still takes ~6 s). */
  static final double SMOKE_HTTP_SCALE = 0.1;

  /**
   * Timed calls per query of the suite's critpath.run_performance_tests() run: fewer than a
   * SQL-editor user's default, to keep the suite short (the 5,000-voucher batch alone takes half a
   * second a call); its numbers stand beside the JMH paths', which judge the targets.
   */
  static final int IN_DATABASE_CALLS = 10;

  /**
   * The CI gate's JMH settings: replicates for the rank test as 20 short iterations of one fork.
   * docs/ci.md has the measurements behind the choice: a fork costs ~7 s of start-up here and the
   * rank test needs 8 or more a side to prove anything after the Holm correction, while 20
   * iterations a side fit the 10-minute budget and catch a 25% slowdown.
   */
  static final String CI_JMH = "-f 1 -wi 2 -w 300ms -i 20 -r 200ms";

  /** The CI gate measures throughput at one level: 2 threads, one per core of a CI runner. */
  static final List<Integer> CI_THREADS = List.of(2);

  /**
   * The CI gate measures the variant the application runs (RLS on, as PostgREST calls it): the
   * others answer what RLS costs, not whether a change made a path slower, and every configuration
   * more makes the multiple-testing correction stricter.
   */
  static final List<Variant> CI_VARIANTS = List.of(Variant.RLS_ON);

  /**
   * The CI gate: JMH only (HTTP and realtime are not compared), with {@link #CI_JMH} unless {@code
   * jmhArgs} overrides it.
   */
  static SuiteSettings ci(Profile dataset, BenchSettings bench, String jmhArgs) {
    return new SuiteSettings(
        dataset,
        bench
            .withJmhArgs(jmhArgs == null ? CI_JMH : jmhArgs)
            .withThreads(CI_THREADS)
            .withVariants(CI_VARIANTS),
        BundledHttpStage.FULL_SCALE,
        RealtimeSettings.suite());
  }

  static SuiteSettings full(Profile dataset) {
    return new SuiteSettings(
        dataset,
        BenchSettings.of(BENCH_PROFILE),
        BundledHttpStage.FULL_SCALE,
        RealtimeSettings.suite());
  }

  /**
   * Both realtime levels with 10 subscribers for 2 s, one of them cut off for 1 s, over broadcast
   * as the full suite runs it.
   */
  static SuiteSettings smoke(Profile dataset) {
    RealtimeSettings realtime =
        new RealtimeSettings(
            RealtimeSettings.Level.BOTH,
            10,
            10,
            Duration.ofSeconds(2),
            1,
            null,
            RealtimeSettings.EventKind.BROADCAST,
            1,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            null,
            Vsn.V2);
    return new SuiteSettings(
        dataset,
        BenchSettings.of(BENCH_PROFILE).withJmhArgs(SMOKE_JMH).withThreads(SMOKE_THREADS),
        SMOKE_HTTP_SCALE,
        realtime);
  }
}

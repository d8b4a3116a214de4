package dev.critpath.bench;

import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import dev.critpath.sampler.PoolGauge;
import dev.critpath.sampler.SampledStage;

/**
 * The bench stage of the default suite: the JMH paths {@code settings} name, with the server
 * sampled; each measurement goes into the run's bench section as it ends.
 */
public record BenchStage(BenchSettings settings) implements Stage {
  /**
   * JMH's benchmark threads: each takes one connection of a pool sized to the thread count when its
   * trial starts and keeps it, in the benchmark's own JVM.
   */
  public static final PoolGauge POOLS =
      PoolGauge.notVisible(
          "each benchmark thread takes one connection of a pool sized to the thread count when"
              + " its trial starts and keeps it to the end, so none waits; the pools live in JMH's"
              + " forked JVMs");

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public Outcome run(StageContext ctx) {
    Bench.Outcome outcome =
        SampledStage.run(
            "bench",
            ctx.db(),
            POOLS,
            ctx.run(),
            s -> Bench.run(ctx.db(), settings, ctx.run(), ctx.out()));
    return new Outcome(outcome.exitCode(), outcome.summary());
  }
}

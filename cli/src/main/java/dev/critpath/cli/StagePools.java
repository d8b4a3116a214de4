package dev.critpath.cli;

import dev.critpath.http.HttpStage;
import dev.critpath.sampler.PoolGauge;

/** The pools that serve each measuring stage's load, as the server sampler counts them. */
final class StagePools {
  private StagePools() {}

  /**
   * JMH's benchmark threads: each takes one connection of a pool sized to the thread count when its
   * trial starts and keeps it, in the benchmark's own JVM.
   */
  static final PoolGauge BENCH =
      PoolGauge.notVisible(
          "each benchmark thread takes one connection of a pool sized to the thread count when"
              + " its trial starts and keeps it to the end, so none waits; the pools live in JMH's"
              + " forked JVMs");

  static final PoolGauge HTTP = PoolGauge.notVisible(HttpStage.POOL_NOT_VISIBLE);

  static final PoolGauge REALTIME =
      PoolGauge.notVisible(
          "the realtime stage uses no connection pool: its sender and each listener keep a"
              + " connection of their own");
}

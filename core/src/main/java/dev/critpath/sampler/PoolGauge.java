package dev.critpath.sampler;

import dev.critpath.db.LivePools;

/**
 * Where the sampler counts the client's pool saturation: the threads (or requests) waiting for a
 * database connection now. Each stage names the pools that serve its load, or why it cannot.
 */
public interface PoolGauge {
  /**
   * How many wait for a connection now (or at most since the previous call, for a peak gauge); -1
   * when the pools did not answer this time.
   */
  int waiting();

  /** Why the stage's pools cannot be counted; null when they can. */
  default String notVisible() {
    return null;
  }

  /** critpath's own HikariCP pools in this JVM ({@code getThreadsAwaitingConnection()}). */
  static PoolGauge critpathPools() {
    return LivePools::threadsWaiting;
  }

  /** No pool that critpath can count serves the stage, for the reason given. */
  static PoolGauge notVisible(String why) {
    return new PoolGauge() {
      @Override
      public int waiting() {
        throw new IllegalStateException("not visible: " + why);
      }

      @Override
      public String notVisible() {
        return why;
      }
    };
  }
}

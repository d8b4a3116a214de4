package dev.critpath.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every connection pool {@link Database#pool} handed out in this JVM and not yet closed, so the
 * server sampler can count the threads waiting for a connection whoever owns the pool.
 */
public final class LivePools {
  private static final Set<HikariDataSource> POOLS = ConcurrentHashMap.newKeySet();

  private LivePools() {}

  static void add(HikariDataSource pool) {
    POOLS.add(pool);
  }

  static void remove(HikariDataSource pool) {
    POOLS.remove(pool);
  }

  /** How many pools are open now. */
  public static int count() {
    return POOLS.size();
  }

  /** Threads blocked in getConnection() on any open pool, now. */
  public static int threadsWaiting() {
    int waiting = 0;
    for (HikariDataSource pool : POOLS) {
      HikariPoolMXBean bean = pool.getHikariPoolMXBean();
      if (bean != null && !pool.isClosed()) {
        waiting += bean.getThreadsAwaitingConnection();
      }
    }
    return waiting;
  }
}

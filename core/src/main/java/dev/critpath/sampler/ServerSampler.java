package dev.critpath.sampler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.critpath.Secrets;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.run.NotCaptured;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the server while a stage loads it: once a second, on its own thread and its own
 * connection (outside every pool it measures), one cheap query reads connections by state, lock
 * waits and the run database's pg_stat_database counters; /proc gives the server's CPU when it runs
 * on this host; the JVM's pools give the threads waiting for a connection. What it cannot see it
 * says, per metric.
 */
public final class ServerSampler implements AutoCloseable {
  public static final Duration INTERVAL = Duration.ofSeconds(1);
  public static final String APPLICATION_NAME = "critpath-sampler";

  private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  /**
   * The one query per second: a single round trip, no table but the statistics views. Another
   * role's session shows to a role without pg_read_all_stats with its backend_type and state
   * hidden, but with its database and user: that is how it still counts as a connection.
   */
  private static final String SAMPLE_SQL =
      """
      SELECT coalesce((SELECT json_object_agg(s, n) FROM (
               SELECT coalesce(state, 'hidden') AS s, count(*) AS n FROM pg_stat_activity
               WHERE (backend_type = 'client backend'
                      OR backend_type IS NULL AND datid IS NOT NULL AND usesysid IS NOT NULL)
                 AND pid <> pg_backend_pid() GROUP BY 1) x),
             '{}') AS states,
             (SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock') AS lock_waits,
             d.xact_commit, d.xact_rollback, d.blks_read, d.blks_hit, d.temp_bytes, d.deadlocks
      FROM pg_stat_database d WHERE d.datname = current_database()
      """;

  private static final String WHO_SQL =
      """
      SELECT r.rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER'),
             current_user, pg_backend_pid(), extract(epoch FROM pg_postmaster_start_time()),
             current_database(), pg_postmaster_start_time()::text
      FROM pg_roles r WHERE r.rolname = current_user
      """;

  /** The cluster's own name, the same whatever host name a client reaches it by. */
  private static final String SYSTEM_ID_SQL = "SELECT system_identifier FROM pg_control_system()";

  /** The pg_stat_database columns, in SAMPLE_SQL's order from column 3. */
  private static final List<ServerMetric> COUNTERS =
      List.of(
          ServerMetric.DB_COMMITS,
          ServerMetric.DB_ROLLBACKS,
          ServerMetric.DB_BLKS_READ,
          ServerMetric.DB_BLKS_HIT,
          ServerMetric.DB_TEMP_BYTES,
          ServerMetric.DB_DEADLOCKS);

  private static final TypeReference<Map<String, Integer>> STATES = new TypeReference<>() {};
  private static final double PERCENT = 100;

  private final String stage;
  private final Database db;
  private volatile PoolGauge pools;
  private final Instant startedAt = Instant.now();
  private final long t0 = System.nanoTime();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final Map<ServerMetric, String> notVisible =
      Collections.synchronizedMap(new EnumMap<>(ServerMetric.class));
  private final List<NotCaptured> notCaptured = new ArrayList<>();
  private final List<ServerSample> samples = new ArrayList<>();
  private final ScheduledExecutorService thread;

  // Touched by the sampler thread only.
  private Connection connection;
  private PreparedStatement query;
  private ProcessTreeCpu tree;
  private long backendPid;
  private long firstTicks = -1;
  private long firstBackendTicks = -1;
  private long lastTicks = -1;
  private long lastBackendTicks = -1;
  private long lastNanos;
  private long[] lastCounters;
  private int failedSamples;
  private String lastFailure;
  private String cpuScope;
  private String server;

  private ServerSampler(String stage, Database db, PoolGauge pools) {
    this.stage = stage;
    this.db = db;
    this.pools = pools;
    if (pools.notVisible() != null) {
      notVisible.put(ServerMetric.POOL_WAITING, pools.notVisible());
    }
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "critpath-server-sampler");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts sampling the server behind {@code db} for {@code stage}.
   *
   * @param db the run's database; null when the stage has none (a remote HTTP target without
   *     --db-url): then nothing on the server is visible, and the sampler says so
   * @param pools the pools that serve the stage's load, or why they cannot be counted
   */
  public static ServerSampler start(String stage, Database db, PoolGauge pools) {
    ServerSampler s = new ServerSampler(stage, db, pools);
    if (db == null) {
      String why = "no database connection was given (a remote target without --db-url)";
      for (ServerMetric m : ServerMetric.values()) {
        if (m != ServerMetric.POOL_WAITING) {
          s.notVisible.put(m, why);
        }
      }
      s.notCaptured.add(
          new NotCaptured(stage, "the server's connections, counters and CPU", why, "--db-url"));
    }
    s.await(s.thread.submit(s::open));
    s.thread.scheduleAtFixedRate(
        s::sample, INTERVAL.toNanos(), INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
    return s;
  }

  /** Connects and settles what is visible; the first sample is the counters' baseline. */
  private void open() {
    sample();
  }

  /** (Re)connects; the first time, also settles what this role and host let the sampler see. */
  private void connect() throws SQLException {
    Properties props = db.connectionProperties();
    props.setProperty("ApplicationName", APPLICATION_NAME);
    connection = DriverManager.getConnection(db.spec().jdbcUrl(), props);
    connection.setAutoCommit(true);
    query = connection.prepareStatement(SAMPLE_SQL);
    if (cpuScope == null) {
      who();
    } else {
      try (PreparedStatement st = connection.prepareStatement("SELECT pg_backend_pid()");
          ResultSet rs = st.executeQuery()) {
        rs.next();
        backendPid = rs.getLong(1); // the sampler's cost is read from its backend
      }
    }
  }

  private void who() throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(WHO_SQL);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      boolean seesAll = rs.getBoolean(1);
      String role = rs.getString(2);
      backendPid = rs.getLong(3);
      double postmasterStart = rs.getDouble(4);
      server = identity(rs.getString(5), rs.getString(6));
      if (!seesAll) {
        notCaptured.add(
            new NotCaptured(
                stage,
                "the state and lock waits of other roles' sessions",
                "role "
                    + role
                    + " is neither superuser nor a member of pg_read_all_stats, so"
                    + " pg_stat_activity hides them: they count under connections as 'hidden'"
                    + " and never as lock waits",
                "GRANT pg_read_all_stats TO " + role));
      }
      findCpu(postmasterStart);
    }
  }

  /**
   * Which server this is, for a merge to check its segments watched one: the cluster's system
   * identifier, or, when this role may not call pg_control_system(), its postmaster's start time.
   */
  private String identity(String database, String postmasterStarted) {
    String cluster;
    try (PreparedStatement st = connection.prepareStatement(SYSTEM_ID_SQL);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      cluster = "system identifier " + rs.getString(1);
    } catch (SQLException e) {
      cluster = "postmaster started " + postmasterStarted;
    }
    return cluster + ", database " + database;
  }

  /**
   * Looks for the server's processes here whatever the host is called (this host's own address is
   * still this host); when they are not here, a host name that is not local is the reason.
   */
  private void findCpu(double postmasterStart) {
    ProcessTreeCpu.Found found = ProcessTreeCpu.find(backendPid, postmasterStart);
    tree = found.tree();
    String why = found.whyNot();
    String host = db.spec().host();
    if (tree == null
        && host != null
        && !host.isEmpty()
        && !host.startsWith("/")
        && !LOCAL_HOSTS.contains(host)) {
      why =
          "the server at "
              + host
              + " is not among this machine's processes (another host): its CPU is seen only by"
              + " that host's monitoring (a Supabase project's: its dashboard)";
    }
    if (tree == null) {
      notVisible.put(ServerMetric.DB_CPU, why);
      notCaptured.add(new NotCaptured(stage, "the database server's CPU (db_cpu)", why, null));
      cpuScope = "not visible: " + why;
    } else {
      cpuScope =
          "the postmaster (process "
              + tree.postmasterPid()
              + ") and every process it forked, from /proc, as % of this host's "
              + cores
              + " cores (100 = all busy)";
    }
  }

  private void sample() {
    long now = System.nanoTime();
    Map<String, Integer> connections = new TreeMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (db != null) {
      try {
        if (connection == null) {
          connect();
        }
        read(connections, metrics);
      } catch (SQLException | JsonProcessingException e) {
        failed(e);
      }
    }
    cpu(now, metrics);
    if (!notVisible.containsKey(ServerMetric.POOL_WAITING)) {
      int waiting = pools.waiting();
      if (waiting >= 0) {
        metrics.put(ServerMetric.POOL_WAITING.key(), (double) waiting);
      }
    }
    ServerSample s =
        new ServerSample(
            Math.round((now - t0) / 1e6) / 1000.0, now, Map.copyOf(connections), metrics);
    synchronized (samples) {
      samples.add(s);
    }
  }

  private void read(Map<String, Integer> connections, Map<String, Double> metrics)
      throws SQLException, JsonProcessingException {
    try (ResultSet rs = query.executeQuery()) {
      if (!rs.next()) {
        return;
      }
      connections.putAll(Json.mapper().readValue(rs.getString(1), STATES));
      int total = connections.values().stream().mapToInt(Integer::intValue).sum();
      metrics.put(ServerMetric.DB_CONNECTIONS.key(), (double) total);
      metrics.put(ServerMetric.DB_LOCK_WAITS.key(), (double) rs.getLong(2));
      long[] counters = new long[COUNTERS.size()];
      for (int i = 0; i < counters.length; i++) {
        counters[i] = rs.getLong(3 + i);
      }
      if (lastCounters != null) {
        for (int i = 0; i < counters.length; i++) {
          // a stats reset (or a new server after a restart) starts the counters over
          metrics.put(COUNTERS.get(i).key(), (double) Math.max(0, counters[i] - lastCounters[i]));
        }
      }
      lastCounters = counters;
    }
  }

  private void cpu(long now, Map<String, Double> metrics) {
    if (tree == null) {
      return;
    }
    long ticks = tree.ticks().orElse(-1);
    long backend = tree.processTicks(backendPid);
    if (ticks < 0) {
      return;
    }
    if (lastTicks >= 0 && now > lastNanos) {
      double seconds = (ticks - lastTicks) / ProcessTreeCpu.TICKS_PER_SECOND;
      double percent = seconds / ((now - lastNanos) / 1e9) / cores * PERCENT;
      metrics.put(ServerMetric.DB_CPU.key(), Math.round(percent * 10) / 10.0);
    } else {
      firstTicks = ticks;
      firstBackendTicks = backend;
    }
    lastTicks = ticks;
    lastBackendTicks = backend;
    lastNanos = now;
  }

  private void failed(Exception e) {
    failedSamples++;
    lastFailure = Secrets.redact(String.valueOf(e.getMessage()));
    closeConnection();
  }

  /**
   * From the next sample on, counts the waiting on {@code gauge}: the pools that serve the load,
   * once they exist (the local functions' start inside the http stage).
   */
  public void watchPools(PoolGauge gauge) {
    await(
        thread.submit(
            () -> {
              pools = gauge;
              if (gauge.notVisible() == null) {
                notVisible.remove(ServerMetric.POOL_WAITING);
              } else {
                notVisible.put(ServerMetric.POOL_WAITING, gauge.notVisible());
              }
            }));
  }

  /** Takes a sample now, so a window that just closed has its last second. */
  public void flush() {
    await(thread.submit(this::sample));
  }

  /** Samples taken after {@code fromNanos}, up to and including {@code toNanos}. */
  public List<ServerSample> window(long fromNanos, long toNanos) {
    synchronized (samples) {
      return samples.stream().filter(s -> s.nanos() > fromNanos && s.nanos() <= toNanos).toList();
    }
  }

  /** Why {@code metric} is not recorded, if it is not. */
  public Optional<String> notVisible(ServerMetric metric) {
    return Optional.ofNullable(notVisible.get(metric));
  }

  /** Stops sampling (after one last sample) and returns the stage's record. */
  public StageLoad finish() {
    if (!thread.isShutdown()) {
      flush();
      close();
    }
    List<ServerSample> all;
    synchronized (samples) {
      all = List.copyOf(samples);
    }
    List<NotCaptured> lost = new ArrayList<>(notCaptured);
    if (notVisible.containsKey(ServerMetric.POOL_WAITING)) {
      lost.add(
          new NotCaptured(
              stage,
              "client pool saturation (pool_waiting)",
              notVisible.get(ServerMetric.POOL_WAITING),
              null));
    }
    if (failedSamples > 0) {
      lost.add(
          new NotCaptured(
              stage,
              failedSamples + " of the server samples (connections and counters)",
              "the sampler's query failed: " + lastFailure,
              null));
    }
    Map<String, String> hidden = new TreeMap<>();
    notVisible.forEach((m, why) -> hidden.put(m.key(), why));
    return new StageLoad(
        stage,
        server,
        startedAt,
        Math.round((System.nanoTime() - t0) / 1e6) / 1000.0,
        (int) INTERVAL.toMillis(),
        cpuScope != null
            ? cpuScope
            : "not visible: "
                + notVisible.getOrDefault(
                    ServerMetric.DB_CPU, "the sampler could not connect: " + lastFailure),
        cost(),
        StageLoad.summarize(all),
        all,
        lost.isEmpty() ? null : List.copyOf(lost),
        hidden.isEmpty() ? null : hidden,
        null);
  }

  private StageLoad.SamplerCost cost() {
    if (tree == null || firstTicks < 0 || lastBackendTicks < 0 || firstBackendTicks < 0) {
      return null;
    }
    double server = (lastTicks - firstTicks) / ProcessTreeCpu.TICKS_PER_SECOND;
    double sampler = (lastBackendTicks - firstBackendTicks) / ProcessTreeCpu.TICKS_PER_SECOND;
    return StageLoad.SamplerCost.of(sampler, server);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // the connection is gone either way
      }
      connection = null;
      query = null;
    }
  }

  private void await(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the server sampler failed", e.getCause());
    }
  }
}

package dev.critpath.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.critpath.UserError;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provisioned database: the one component every command uses to reach PostgreSQL. It starts the
 * embedded or container server when asked to, checks the connection up front so that a bad URL
 * fails with one clear line, and hands out pools sized for the requested concurrency. Closing it
 * closes the pools and stops any server it started.
 */
public final class Database implements AutoCloseable {
  public static final String APPLICATION_NAME = "critpath";
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

  /** PgBouncer's answer to a startup parameter it does not pass on (PostgreSQL takes them all). */
  private static final String REFUSED_OPTIONS = "unsupported startup parameter: options";

  private static final String STARTED_HERE = "critpath started the server";

  /**
   * How the probes connect: as through a transaction pooler, with no startup options and no session
   * setting, so the verdict does not hang on a parameter a pooler may refuse.
   */
  private static final Pooler PROBING =
      new Pooler(Pooler.Mode.TRANSACTION, "being probed", false, "being probed");

  // Set once while opening, before the instance is handed out: the pooler found decides both.
  private ConnectionSpec spec;
  private Pooler pooler;
  private final String description;
  private final Duration statementTimeout;
  private final AutoCloseable server;
  private final List<HikariDataSource> pools = new ArrayList<>();

  private Database(
      ConnectionSpec spec, String description, Duration statementTimeout, AutoCloseable server) {
    this.spec = spec;
    this.pooler = new Pooler(Pooler.Mode.DIRECT, STARTED_HERE, true, "a direct connection");
    this.description = description;
    this.statementTimeout = statementTimeout;
    this.server = server;
  }

  /** Opens the target, detecting any pooler in front of it. */
  public static Database open(DatabaseTarget target, Duration statementTimeout) {
    return open(target, statementTimeout, null);
  }

  /**
   * Opens the target, starting a server if the target is embedded or a container.
   *
   * @param poolerChoice the mode the user named with {@code --pooler}, or null to detect it
   */
  public static Database open(
      DatabaseTarget target, Duration statementTimeout, Pooler.Mode poolerChoice) {
    if (statementTimeout.isNegative() || statementTimeout.isZero()) {
      throw new UserError("--statement-timeout must be positive, got " + statementTimeout);
    }
    Database db = start(target, statementTimeout);
    try {
      if (target instanceof DatabaseTarget.External) {
        db.findPooler(poolerChoice);
      }
      try (Connection probe = db.connect()) {
        return db;
      }
    } catch (SQLException e) {
      db.close();
      throw ConnectionFailures.describe(e, db.spec);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * Settles how to talk to the server: a pooler cannot carry the startup parameter {@code options},
   * and in transaction mode the driver's named statements would meet other clients'.
   */
  private void findPooler(Pooler.Mode choice) throws SQLException {
    boolean refusedOptions = false;
    try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), connectionProperties())) {
      // PostgreSQL takes the startup parameter options: nothing to change yet
    } catch (SQLException e) {
      if (e.getMessage() == null || !e.getMessage().contains(REFUSED_OPTIONS)) {
        throw e;
      }
      refusedOptions = true;
      if (choice == Pooler.Mode.DIRECT) {
        throw new UserError(
            spec.display()
                + " refused the startup parameter 'options', which PostgreSQL accepts: it is a"
                + " pooler, not a direct connection; use --pooler auto, session or transaction");
      }
    }
    pooler = PROBING;
    ConnectionSpec given = spec;
    // Even pgjdbc's own BEGIN and ROLLBACK become named statements unless this is 0.
    spec = spec.withParam("prepareThreshold", "0");
    PoolerProbe probe = new PoolerProbe(this::connect);
    Pooler.Mode mode;
    String how;
    if (choice == null) {
      PoolerProbe.Seen seen = probe.mode(refusedOptions);
      mode = seen.mode();
      how = seen.how();
    } else {
      mode = choice;
      how = "--pooler " + choice.label();
    }
    String userThreshold = given.params().get("prepareThreshold");
    boolean prepared = true;
    String preparedBy = "one backend per connection keeps them";
    if (userThreshold != null) {
      prepared = !userThreshold.equals("0");
      preparedBy = "prepareThreshold=" + userThreshold + " in the URL";
    } else if (mode == Pooler.Mode.TRANSACTION) {
      String kept = probe.keptPreparedStatements();
      prepared = kept != null;
      preparedBy =
          prepared
              ? kept
              : "the pooler passes the driver's statement names to shared backends"
                  + " (PgBouncer before 1.21, or max_prepared_statements = 0): prepareThreshold=0";
    }
    spec = prepared ? given : given.withParam("prepareThreshold", "0");
    pooler = new Pooler(mode, how, prepared, preparedBy);
  }

  private static Database start(DatabaseTarget target, Duration statementTimeout) {
    if (target instanceof DatabaseTarget.External ext) {
      String description = ext.spec().display() + " (" + ext.source() + ")";
      return new Database(ext.spec(), description, statementTimeout, null);
    }
    if (target instanceof DatabaseTarget.Embedded emb) {
      EmbeddedPostgres pg = EmbeddedPostgres.start(emb.keptDataDir());
      String kept = emb.keptDataDir() == null ? "" : ", data kept in " + emb.keptDataDir();
      return new Database(
          pg.spec(), "embedded PostgreSQL on port " + pg.port() + kept, statementTimeout, pg);
    }
    DatabaseTarget.Container container = (DatabaseTarget.Container) target;
    ContainerPostgres pg = ContainerPostgres.start(container.image());
    return new Database(pg.spec(), "container " + container.image(), statementTimeout, pg);
  }

  public ConnectionSpec spec() {
    return spec;
  }

  /** Where this is, for humans; never includes a password. */
  public String description() {
    return description;
  }

  public boolean isManaged() {
    return server != null;
  }

  public Duration statementTimeout() {
    return statementTimeout;
  }

  /** What is between critpath and the server, and how that was found out. */
  public Pooler pooler() {
    return pooler;
  }

  /** One connection outside any pool, with critpath's session settings. */
  public Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(spec.jdbcUrl(), connectionProperties());
    String init = sessionInitSql();
    if (init != null) {
      try (Statement st = c.createStatement()) {
        st.execute(init);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    }
    return c;
  }

  /** A new pool of exactly {@code size} connections; closed with this database. */
  public synchronized HikariDataSource pool(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("pool size must be at least 1, got " + size);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("critpath-" + POOL_COUNTER.incrementAndGet());
    config.setJdbcUrl(spec.jdbcUrl());
    config.setDataSourceProperties(connectionProperties());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
    config.setInitializationFailTimeout(CONNECT_TIMEOUT.toMillis());
    if (sessionInitSql() != null) {
      config.setConnectionInitSql(sessionInitSql());
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw ConnectionFailures.describe(sql, spec);
      }
      throw e;
    }
    pools.add(pool);
    LivePools.add(pool);
    return pool;
  }

  @Override
  public synchronized void close() {
    pools.forEach(HikariDataSource::close);
    pools.forEach(LivePools::remove);
    pools.clear();
    if (server != null) {
      try {
        server.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop the database server: " + e.getMessage(), e);
      }
    }
  }

  /**
   * What critpath sends when it connects. Straight to PostgreSQL, statement_timeout rides on the
   * startup packet (no round trip, holds for every statement); a pooler refuses that parameter.
   * application_name is one PgBouncer and Supavisor carry to whichever backend serves the client.
   */
  public Properties connectionProperties() {
    Properties props = spec.credentials();
    props.setProperty("ApplicationName", APPLICATION_NAME);
    props.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
    props.setProperty("tcpKeepAlive", "true");
    if (!pooler.pooled()) {
      props.setProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
    }
    return props;
  }

  /**
   * The session setting a session pooler lets critpath make once per connection (it resets the
   * backend when the client leaves); null when there is none to make: direct connections carry it
   * in the startup packet, and through a transaction pooler a session setting would stay on a
   * shared backend, so there it is set per transaction instead.
   */
  private String sessionInitSql() {
    return pooler.mode() == Pooler.Mode.SESSION
        ? "SET statement_timeout = " + statementTimeout.toMillis()
        : null;
  }
}

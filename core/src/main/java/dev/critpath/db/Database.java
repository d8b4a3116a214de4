package dev.critpath.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.critpath.UserError;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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

  private final ConnectionSpec spec;
  private final String description;
  private final Duration statementTimeout;
  private final AutoCloseable server;
  private final List<HikariDataSource> pools = new ArrayList<>();

  private Database(
      ConnectionSpec spec, String description, Duration statementTimeout, AutoCloseable server) {
    this.spec = spec;
    this.description = description;
    this.statementTimeout = statementTimeout;
    this.server = server;
  }

  /** Opens the target, starting a server if the target is embedded or a container. */
  public static Database open(DatabaseTarget target, Duration statementTimeout) {
    if (statementTimeout.isNegative() || statementTimeout.isZero()) {
      throw new UserError("--statement-timeout must be positive, got " + statementTimeout);
    }
    Database db = start(target, statementTimeout);
    try (Connection probe = db.connect()) {
      return db;
    } catch (SQLException e) {
      db.close();
      throw ConnectionFailures.describe(e, db.spec);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
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

  /** One connection outside any pool, with critpath's session settings. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(spec.jdbcUrl(), connectionProperties());
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
    return pool;
  }

  @Override
  public synchronized void close() {
    pools.forEach(HikariDataSource::close);
    pools.clear();
    if (server != null) {
      try {
        server.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop the database server: " + e.getMessage(), e);
      }
    }
  }

  private Properties connectionProperties() {
    Properties props = spec.credentials();
    props.setProperty("ApplicationName", APPLICATION_NAME);
    props.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
    props.setProperty("tcpKeepAlive", "true");
    // Set at connect time, so it costs no round trip and holds for every statement.
    props.setProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
    return props;
  }
}

package dev.critpath.realtime;

import dev.critpath.UserError;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.network.NetworkProfile;
import dev.critpath.network.ShapingProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Database connections as a client on the run's network would open them: through a {@link
 * ShapingProxy} when a profile is set (each connection its own emulated link), directly otherwise.
 * TLS still works through the proxy, but sslmode=verify-full cannot, since the driver then sees
 * 127.0.0.1 instead of the server's name.
 */
final class ClientLink implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final Duration statementTimeout;
  private final boolean pooled;
  private final ShapingProxy proxy;
  private final ConnectionSpec spec;
  private final String applicationName;

  ClientLink(Database db, NetworkProfile network, String applicationName) {
    this(db.spec(), db.statementTimeout(), db.pooler().pooled(), network, applicationName);
  }

  ClientLink(
      ConnectionSpec direct,
      Duration statementTimeout,
      boolean pooled,
      NetworkProfile network,
      String applicationName) {
    this.statementTimeout = statementTimeout;
    this.pooled = pooled;
    this.applicationName = applicationName;
    if (network == null) {
      this.proxy = null;
      this.spec = direct;
    } else {
      if ("verify-full".equalsIgnoreCase(direct.params().getOrDefault("sslmode", ""))) {
        throw new UserError(
            "cannot apply network profile "
                + network.name()
                + " to "
                + direct.display()
                + ": sslmode=verify-full checks the server's name, and through the shaping proxy"
                + " the driver sees 127.0.0.1; use sslmode=require or run without --network");
      }
      this.proxy = ShapingProxy.forward(direct.host(), direct.port(), network);
      this.spec =
          new ConnectionSpec(
              proxy.host(),
              proxy.port(),
              direct.database(),
              direct.user(),
              direct.password(),
              direct.params());
    }
  }

  Connection connect() throws SQLException {
    Properties props = spec.credentials();
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("socketTimeout", "0");
    if (!pooled) {
      // a pooler refuses this startup parameter (see Database.connectionProperties)
      props.setProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
    }
    return DriverManager.getConnection(spec.jdbcUrl(), props);
  }

  @Override
  public void close() {
    if (proxy != null) {
      proxy.close();
    }
  }
}

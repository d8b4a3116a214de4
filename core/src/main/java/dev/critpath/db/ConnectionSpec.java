package dev.critpath.db;

import dev.critpath.Secrets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where and how to connect, with the password kept apart from the URL so that the URL can be shown,
 * logged and stored. Build one with {@link PgUrl}.
 *
 * @param params pgjdbc connection parameters other than user and password (sslmode, ...)
 */
public record ConnectionSpec(
    String host,
    int port,
    String database,
    String user,
    String password,
    Map<String, String> params) {

  public ConnectionSpec {
    params = Map.copyOf(params);
    Secrets.register(password);
  }

  /** JDBC URL without credentials. */
  public String jdbcUrl() {
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    String query =
        params.entrySet().stream()
            .map(e -> e.getKey() + "=" + PgUrl.encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return "jdbc:postgresql://"
        + hostPart
        + ":"
        + port
        + "/"
        + PgUrl.encode(database)
        + (query.isEmpty() ? "" : "?" + query);
  }

  /** Credentials for the driver. */
  public Properties credentials() {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    return props;
  }

  /** A libpq-style URL safe to show: never includes the password. */
  public String display() {
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    return "postgresql://" + user + "@" + hostPart + ":" + port + "/" + database;
  }

  /** The same server, another database on it. */
  public ConnectionSpec withDatabase(String otherDatabase) {
    return new ConnectionSpec(host, port, otherDatabase, user, password, params);
  }

  /** The same target with one more driver parameter. */
  public ConnectionSpec withParam(String key, String value) {
    Map<String, String> merged = new LinkedHashMap<>(params);
    merged.put(key, value);
    return new ConnectionSpec(host, port, database, user, password, merged);
  }

  @Override
  public String toString() {
    return display();
  }
}

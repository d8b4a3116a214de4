package dev.critpath.db;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the connection strings users paste: libpq/Supabase URIs ({@code
 * postgresql://user:pass@host:6543/postgres?sslmode=require}), JDBC URLs ({@code
 * jdbc:postgresql://host/db?user=u&password=p}) and the libpq {@code PG*} environment variables.
 */
public final class PgUrl {
  public static final int DEFAULT_PORT = 5432;
  private static final String EXPECTED =
      "expected postgresql://user:password@host:5432/dbname or jdbc:postgresql://host:5432/dbname";

  /** libpq parameter names that pgjdbc spells differently. */
  private static final Map<String, String> LIBPQ_TO_PGJDBC =
      Map.of(
          "connect_timeout", "connectTimeout",
          "application_name", "ApplicationName",
          "target_session_attrs", "targetServerType");

  private PgUrl() {}

  /** Parses a libpq URI or JDBC URL. */
  public static ConnectionSpec parse(String url) {
    if (url == null || url.isBlank()) {
      throw new UserError("empty database URL: " + EXPECTED);
    }
    String trimmed = url.trim();
    String rest;
    if (trimmed.startsWith("jdbc:postgresql://")) {
      rest = trimmed.substring("jdbc:postgresql://".length());
    } else if (trimmed.startsWith("postgresql://")) {
      rest = trimmed.substring("postgresql://".length());
    } else if (trimmed.startsWith("postgres://")) {
      rest = trimmed.substring("postgres://".length());
    } else {
      throw invalid(trimmed, "unknown scheme");
    }

    String userInfo = null;
    int at = credentialsEnd(rest);
    if (at >= 0) {
      userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String path = "";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }

    String user = null;
    String password = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
      password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
      Secrets.register(password);
    }

    String host = "localhost";
    int port = DEFAULT_PORT;
    if (!rest.isEmpty()) {
      String portText = null;
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        if (close < 0) {
          throw invalid(trimmed, "unclosed '[' in IPv6 host");
        }
        host = rest.substring(1, close);
        String after = rest.substring(close + 1);
        if (after.startsWith(":")) {
          portText = after.substring(1);
        }
      } else {
        if (rest.contains(",")) {
          throw invalid(trimmed, "several hosts are not supported, give one");
        }
        int colon = rest.lastIndexOf(':');
        host = colon >= 0 ? rest.substring(0, colon) : rest;
        portText = colon >= 0 ? rest.substring(colon + 1) : null;
        if (host.contains(":")) {
          throw invalid(
              trimmed,
              "the host holds a ':' (a password needs an '@' after it: user:password@host)");
        }
      }
      if (portText != null && !portText.isEmpty()) {
        port = parsePort(portText, trimmed);
      }
      if (host.isEmpty()) {
        host = "localhost";
      }
    }

    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw invalid(
            trimmed, "a parameter after '?' has no '=' (write NAME=VALUE, joined by '&')");
      }
      String key = decode(pair.substring(0, eq));
      String value = decode(pair.substring(eq + 1));
      switch (key) {
        case "user" -> user = value;
        case "password" -> {
          password = value;
          Secrets.register(password);
        }
        case "dbname" -> path = value;
        case "host" -> host = value;
        case "port" -> port = parsePort(value, trimmed);
        default -> params.put(LIBPQ_TO_PGJDBC.getOrDefault(key, key), value);
      }
    }

    String database = decode(path);
    if (user == null || user.isEmpty()) {
      user = System.getProperty("user.name");
    }
    if (database.isEmpty()) {
      database = user;
    }
    return new ConnectionSpec(host, port, database, user, password, params);
  }

  /**
   * Where the credentials of a URL (after its scheme) end: the last '@' before the path or query,
   * as libpq reads it; or, when what comes before the first '/' or '?' is {@code user:...} rather
   * than {@code host:port}, the last '@' of all, since a password pasted unencoded may hold '/',
   * '?' and '@'. -1 when there are no credentials.
   */
  private static int credentialsEnd(String rest) {
    int end = rest.length();
    for (char c : new char[] {'/', '?'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String head = rest.substring(0, end);
    if (head.contains("@")) {
      return head.lastIndexOf('@');
    }
    int colon = head.indexOf(':');
    boolean hostAndPort = colon < 0 || head.substring(colon + 1).matches("\\d*");
    return hostAndPort ? -1 : rest.lastIndexOf('@');
  }

  /**
   * Builds a spec from the libpq environment variables, or returns null when none of PGHOST,
   * PGPORT, PGUSER, PGDATABASE is set (PGPASSWORD alone does not select a server).
   */
  public static ConnectionSpec fromEnvironment(Map<String, String> env) {
    if (!(env.containsKey("PGHOST")
        || env.containsKey("PGPORT")
        || env.containsKey("PGUSER")
        || env.containsKey("PGDATABASE"))) {
      return null;
    }
    String host = env.getOrDefault("PGHOST", "localhost");
    if (host.startsWith("/")) {
      throw new UserError(
          "PGHOST="
              + host
              + " is a Unix socket directory, which the JDBC driver cannot use: set PGHOST to a"
              + " host name such as 127.0.0.1");
    }
    int port =
        env.containsKey("PGPORT")
            ? parsePort(env.get("PGPORT"), "PGPORT=" + env.get("PGPORT"))
            : DEFAULT_PORT;
    String user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
    String database = env.getOrDefault("PGDATABASE", user);
    Map<String, String> params = new LinkedHashMap<>();
    if (env.containsKey("PGSSLMODE")) {
      params.put("sslmode", env.get("PGSSLMODE"));
    }
    if (env.containsKey("PGAPPNAME")) {
      params.put("ApplicationName", env.get("PGAPPNAME"));
    }
    return new ConnectionSpec(host, port, database, user, env.get("PGPASSWORD"), params);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value; // not percent-encoded after all: take it literally
    }
  }

  private static int parsePort(String text, String context) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      // only digits are echoed: anything else may be a password that lost its '@'
      String shown = text.matches("\\d{1,12}") ? "port '" + text + "'" : "the port";
      throw invalid(context, shown + " is not a number between 1 and 65535");
    }
  }

  private static UserError invalid(String url, String reason) {
    return new UserError(
        "invalid database URL '" + Secrets.redact(url) + "': " + reason + "; " + EXPECTED);
  }
}

package dev.critpath.db;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;

/** Turns a failed connection attempt into one line that names the cause and the fix. */
public final class ConnectionFailures {
  private ConnectionFailures() {}

  public static UserError describe(SQLException e, ConnectionSpec target) {
    String where = target.display();
    SqlState state = SqlState.of(e);
    Throwable root = rootCause(e);
    String message;
    if (state == SqlState.INVALID_PASSWORD) {
      message =
          "password authentication failed for user \""
              + target.user()
              + "\" at "
              + where
              + ": check the password in --db-url, DATABASE_URL or PGPASSWORD";
    } else if (state == SqlState.INVALID_AUTHORIZATION) {
      message =
          "the server at "
              + where
              + " refused user \""
              + target.user()
              + "\": "
              + firstLine(e.getMessage())
              + " (check pg_hba.conf, the user name and sslmode)";
    } else if (state == SqlState.INVALID_CATALOG_NAME) {
      message =
          "database \""
              + target.database()
              + "\" does not exist on "
              + target.host()
              + ":"
              + target.port()
              + ": create it (createdb "
              + target.database()
              + ") or name an existing one in the URL";
    } else if (state == SqlState.TOO_MANY_CONNECTIONS) {
      message =
          "the server at "
              + where
              + " has no free connection slots: lower --threads or raise max_connections";
    } else if (root instanceof UnknownHostException) {
      message = "unknown host \"" + target.host() + "\" in " + where + ": check the host name";
    } else if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
      message =
          "cannot connect to "
              + where
              + ": connection refused. Is PostgreSQL running and listening on "
              + target.host()
              + ":"
              + target.port()
              + "?";
    } else if (root instanceof SocketTimeoutException) {
      message =
          "cannot connect to "
              + where
              + ": timed out. Check the host, port and any firewall in between";
    } else if (root instanceof SSLException || containsIgnoreCase(e.getMessage(), "ssl")) {
      message =
          "TLS handshake with "
              + where
              + " failed: "
              + firstLine(root.getMessage())
              + " (check sslmode in the URL)";
    } else {
      message = "cannot connect to " + where + ": " + firstLine(e.getMessage());
    }
    return new UserError(Secrets.redact(message), e);
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return (nl >= 0 ? text.substring(0, nl) : text).trim();
  }

  private static boolean containsIgnoreCase(String text, String part) {
    return text != null && text.toLowerCase().contains(part);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable cur = t;
    while (cur.getCause() != null && cur.getCause() != cur) {
      cur = cur.getCause();
    }
    return cur;
  }
}

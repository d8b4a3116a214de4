package dev.critpath.supabase;

import dev.critpath.db.ConnectionSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The libpq-style URL the Deno processes (the functions server, the realtime relay) hand to
 * postgres.js. It holds the password, so it goes into the child's environment only, never into a
 * log or an argument list.
 */
public final class PostgresUrl {
  private PostgresUrl() {}

  public static String of(ConnectionSpec db) {
    StringBuilder url = new StringBuilder("postgresql://").append(encode(db.user()));
    if (db.password() != null && !db.password().isEmpty()) {
      url.append(':').append(encode(db.password()));
    }
    String host = db.host().contains(":") ? "[" + db.host() + "]" : db.host();
    url.append('@')
        .append(host)
        .append(':')
        .append(db.port())
        .append('/')
        .append(encode(db.database()));
    String sslmode = db.params().get("sslmode");
    if (sslmode != null) {
      url.append("?sslmode=").append(encode(sslmode));
    }
    return url.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

package dev.critpath.realtime;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import java.net.URI;
import java.util.Locale;

/**
 * A Supabase project's Realtime endpoint.
 *
 * @param websocketUrl wss://REF.supabase.co/realtime/v1/websocket (without query)
 * @param restUrl https://REF.supabase.co/rest/v1 for catch-up, or null to catch up over the
 *     database connection
 * @param apiKey the project's anon key (sent as apikey, as supabase-js does)
 * @param jwtSecret the project's JWT secret, to mint user tokens for the run's users; null sends
 *     the anon key as access token (RLS then hides private rows from it)
 */
public record RemoteRealtime(String websocketUrl, String restUrl, String apiKey, String jwtSecret) {

  public RemoteRealtime {
    Secrets.register(apiKey);
    Secrets.register(jwtSecret);
  }

  /** From a project URL (https://REF.supabase.co) or a realtime WebSocket URL (ws:// or wss://). */
  public static RemoteRealtime of(String url, String apiKey, String jwtSecret) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new UserError(
          "a realtime URL needs the project's anon key: set SUPABASE_ANON_KEY or pass --apikey");
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new UserError("--realtime-url is not a URL: " + Secrets.redact(url));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      throw new UserError("--realtime-url has no host: " + Secrets.redact(url));
    }
    String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    switch (scheme) {
      case "https":
      case "http":
        String ws = scheme.equals("https") ? "wss" : "ws";
        return new RemoteRealtime(
            ws + "://" + hostPort + "/realtime/v1/websocket",
            scheme + "://" + hostPort + "/rest/v1",
            apiKey,
            jwtSecret);
      case "wss":
      case "ws":
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        return new RemoteRealtime(scheme + "://" + hostPort + path, null, apiKey, jwtSecret);
      default:
        throw new UserError(
            "--realtime-url must be https://REF.supabase.co or a ws(s):// URL, got "
                + Secrets.redact(url));
    }
  }
}

package dev.critpath.http.engine;

import dev.critpath.UserError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Where requests go: scheme, host, port and a path prefix, from a base URL. */
public record HttpTarget(String url, boolean tls, String host, int port, String basePath) {

  public static HttpTarget parse(String baseUrl) {
    URI uri;
    try {
      uri = new URI(baseUrl.strip());
    } catch (URISyntaxException e) {
      throw new UserError("base URL " + baseUrl + " is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new UserError("base URL " + baseUrl + " must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new UserError("base URL " + baseUrl + " has no host");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
      throw new UserError(
          "base URL must not hold credentials or a query: give keys through SUPABASE_ANON_KEY");
    }
    boolean tls = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String display = scheme + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + port : "") + path;
    return new HttpTarget(display, tls, uri.getHost(), port, path);
  }

  /** The Host header: the port only when it is not the scheme's default. */
  public String hostHeader() {
    boolean defaultPort = tls ? port == 443 : port == 80;
    String h = host.contains(":") ? "[" + host + "]" : host;
    return defaultPort ? h : h + ":" + port;
  }

  /**
   * The address to connect to, resolved once (a DNS failure stays unresolved, so each request
   * reports it as a dns error instead of the run failing before it starts).
   */
  InetSocketAddress address() {
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      return InetSocketAddress.createUnresolved(host, port);
    }
  }
}

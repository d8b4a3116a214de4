package dev.critpath.http.waba;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the WhatsApp Business (Cloud) API's send endpoint, {@code POST
 * /v17.0/{phone-number-id}/messages}: it enforces the per-channel limit (seed 004: 250 messages per
 * minute per channel) over a sliding 60 s window, answers 429 with Retry-After beyond it, and logs
 * every request it receives, so a dispatcher's compliance is proven from the receiving side. Java
 * rather than Deno: it runs in critpath's JVM, apart from the dispatcher under test, and its log is
 * read without a second process.
 */
public final class WabaStandIn implements AutoCloseable {
  /** Seed 004: "WABA rate limit: 250 msgs/min/channel". */
  public static final int LIMIT_PER_MINUTE = 250;

  static final Duration WINDOW = Duration.ofSeconds(60);
  private static final Pattern SEND = Pattern.compile("^/v[0-9.]+/([^/]+)/messages$");
  private static final int THREADS = 4;

  /** One request as received. */
  record Received(long nanos, String channel, int status) {}

  private final int limit;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Deque<Long>> accepted = new HashMap<>();
  private final List<Received> log = new ArrayList<>();

  private WabaStandIn(int limit, HttpServer server, ExecutorService executor) {
    this.limit = limit;
    this.server = server;
    this.executor = executor;
  }

  /** Starts on a free local port. */
  public static WabaStandIn start(int limitPerMinute) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> daemon(r));
    WabaStandIn standIn = new WabaStandIn(limitPerMinute, server, executor);
    server.createContext("/", standIn::handle);
    server.setExecutor(executor);
    server.start();
    return standIn;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "critpath-waba-stand-in");
    t.setDaemon(true);
    return t;
  }

  /** The base URL a dispatcher sends to (WABA_API_URL). */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int limit() {
    return limit;
  }

  /** Forgets what it received: a scenario file starts from an empty log and empty windows. */
  public synchronized void reset() {
    accepted.clear();
    log.clear();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      Matcher m = SEND.matcher(ex.getRequestURI().getPath());
      if (!ex.getRequestMethod().equals("POST") || !m.matches()) {
        reply(ex, 404, "{\"error\":{\"message\":\"unknown endpoint\",\"code\":100}}", null);
        return;
      }
      long now = System.nanoTime();
      long retryAfterSeconds = admit(m.group(1), now);
      if (retryAfterSeconds > 0) {
        reply(
            ex,
            429,
            "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"code\":130429}}",
            Long.toString(retryAfterSeconds));
      } else {
        reply(ex, 200, "{\"messages\":[{\"id\":\"wamid.critpath" + now + "\"}]}", null);
      }
    }
  }

  /** Logs the request; 0 when the channel has room, else the seconds until it will have. */
  private synchronized long admit(String channel, long now) {
    Deque<Long> window = accepted.computeIfAbsent(channel, c -> new ArrayDeque<>());
    while (!window.isEmpty() && now - window.peekFirst() >= WINDOW.toNanos()) {
      window.pollFirst();
    }
    if (window.size() >= limit) {
      log.add(new Received(now, channel, 429));
      long wait = window.peekFirst() + WINDOW.toNanos() - now;
      return Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    }
    window.addLast(now);
    log.add(new Received(now, channel, 200));
    return 0;
  }

  private static void reply(HttpExchange ex, int status, String body, String retryAfter)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "application/json");
    if (retryAfter != null) {
      ex.getResponseHeaders().set("retry-after", retryAfter);
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * What the log proves: per channel, the most requests received in any 60 s window (every request,
   * accepted or refused: a compliant dispatcher never even tries more than the limit).
   */
  public synchronized WabaCompliance compliance() {
    Map<String, List<Received>> byChannel = new TreeMap<>();
    log.forEach(r -> byChannel.computeIfAbsent(r.channel(), c -> new ArrayList<>()).add(r));
    List<WabaCompliance.Channel> channels = new ArrayList<>();
    for (Map.Entry<String, List<Received>> e : byChannel.entrySet()) {
      List<Received> rs = e.getValue();
      int max = 0;
      int start = 0;
      for (int end = 0; end < rs.size(); end++) {
        while (rs.get(end).nanos() - rs.get(start).nanos() >= WINDOW.toNanos()) {
          start++;
        }
        max = Math.max(max, end - start + 1);
      }
      long ok = rs.stream().filter(r -> r.status() == 200).count();
      double seconds = (rs.get(rs.size() - 1).nanos() - rs.get(0).nanos()) / 1e9;
      channels.add(
          new WabaCompliance.Channel(e.getKey(), rs.size(), ok, rs.size() - ok, max, seconds));
    }
    return WabaCompliance.of(limit, WINDOW, channels);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

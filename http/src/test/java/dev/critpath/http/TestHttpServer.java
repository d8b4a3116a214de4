package dev.critpath.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/** A JDK HTTP server for tests: fixed answers, and a stall that holds every request for a while. */
final class TestHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(32);
  private final AtomicLong stallUntilNanos = new AtomicLong();
  private volatile long stallAt = -1;
  private volatile long stallMillis;
  final AtomicLong requests = new AtomicLong();

  static {
    // without it the JDK server's two writes per response meet delayed ACKs: 40 ms per request
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  TestHttpServer() throws IOException {
    this(null);
  }

  /** With {@code tls}, an HTTPS server using that context's key. */
  TestHttpServer(SSLContext tls) throws IOException {
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    if (tls == null) {
      server = HttpServer.create(any, 256);
    } else {
      HttpsServer https = HttpsServer.create(any, 256);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.setExecutor(pool);
    server.createContext(
        "/ok", ex -> answer(ex, 200, "application/json", "{\"ok\":true,\"items\":[1,2]}"));
    server.createContext(
        "/garbage",
        ex -> answer(ex, 200, "text/html", "<html>502 Bad Gateway from a proxy</html>"));
    server.createContext(
        "/fail", ex -> answer(ex, 500, "application/json", "{\"error\":\"database is down\"}"));
    server.start();
  }

  String url() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** From the {@code request}-th request on, every request arriving in {@code millis} waits. */
  void stallAt(long request, long millis) {
    stallMillis = millis;
    stallAt = request;
  }

  private void answer(HttpExchange ex, int status, String type, String body) throws IOException {
    if (requests.incrementAndGet() == stallAt) {
      stallUntilNanos.set(System.nanoTime() + stallMillis * 1_000_000L);
    }
    long wait = stallUntilNanos.get() - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ex.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}

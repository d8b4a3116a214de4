package dev.critpath.report.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The system's Chromium (Debian package {@code chromium}) driven over the DevTools protocol with
 * the JDK's own WebSocket client: no browser download, no driver library. Collects console errors
 * and uncaught exceptions of the page it loads.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final List<String> CANDIDATES =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch loaded = new CountDownLatch(1);
  private String session;

  /** The Chromium binary, or null when none is installed ({@code CRITPATH_CHROMIUM} overrides). */
  public static Path binary() {
    String override = System.getenv("CRITPATH_CHROMIUM");
    if (override != null && !override.isBlank()) {
      return Files.isExecutable(Path.of(override)) ? Path.of(override) : null;
    }
    return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
  }

  public HeadlessChromium(Path binary) throws Exception {
    profile = Files.createTempDirectory("critpath-chromium");
    process =
        new ProcessBuilder(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    URI browser = waitForDevTools();
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(TIMEOUT)
            .buildAsync(browser, new Listener())
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    String target =
        send(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
    session =
        send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
            .path("sessionId")
            .asText();
    send(session, "Page.enable", Map.of());
    send(session, "Runtime.enable", Map.of());
    send(session, "Log.enable", Map.of());
  }

  /** Loads {@code file} and waits for its load event (scripts have run by then). */
  public void load(Path file) throws Exception {
    loaded = new CountDownLatch(1);
    send(session, "Page.navigate", Map.of("url", file.toUri().toString()));
    if (!loaded.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("page did not load within " + TIMEOUT);
    }
  }

  /** Evaluates a JavaScript expression in the page and returns its value as JSON. */
  public JsonNode eval(String expression) throws Exception {
    JsonNode result =
        send(
            session,
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Console errors, uncaught exceptions and error log entries seen so far. */
  public List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  private JsonNode send(String sessionId, String method, Map<String, Object> params)
      throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = Json.mapper().createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", Json.mapper().valueToTree(params));
    if (sessionId != null) {
      msg.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(Json.mapper().writeValueAsString(msg), true).get();
    JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + " failed: " + r.get("error"));
    }
    return r.path("result");
  }

  private URI waitForDevTools() throws Exception {
    Path port = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "chromium exited early: " + Files.readString(profile.resolve("chromium.log")));
      }
      if (Files.isRegularFile(port)) {
        List<String> lines = Files.readAllLines(port);
        if (lines.size() >= 2) {
          return URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("chromium did not open its DevTools port in " + TIMEOUT);
  }

  private void onMessage(String text) {
    JsonNode msg;
    try {
      msg = Json.mapper().readTree(text);
    } catch (IOException e) {
      return;
    }
    if (msg.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
      if (f != null) {
        f.complete(msg);
      }
      return;
    }
    String method = msg.path("method").asText();
    JsonNode p = msg.path("params");
    switch (method) {
      case "Page.loadEventFired":
        loaded.countDown();
        break;
      case "Runtime.exceptionThrown":
        errors.add("exception: " + p.path("exceptionDetails"));
        break;
      case "Runtime.consoleAPICalled":
        if ("error".equals(p.path("type").asText()) || "assert".equals(p.path("type").asText())) {
          errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
        }
        break;
      case "Log.entryAdded":
        if ("error".equals(p.path("entry").path("level").asText())) {
          errors.add(
              "log: "
                  + p.path("entry").path("text").asText()
                  + " "
                  + p.path("entry").path("url").asText());
        }
        break;
      default:
        break;
    }
  }

  @Override
  public void close() throws Exception {
    // Chromium's helpers (zygote, renderers) are our descendants: end them too, by their pids
    List<ProcessHandle> helpers = process.descendants().toList();
    try {
      if (socket != null) {
        send(null, "Browser.close", Map.of());
      }
    } catch (Exception e) {
      // the browser may close the socket before it answers
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      for (ProcessHandle helper : helpers) {
        helper.destroy();
        helper.onExit().get(10, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(profile)) {
        // best effort: a file may vanish between listing and deleting
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.UncheckedIOException | IOException e) {
        // a temp profile left behind is harmless
      }
    }
  }

  /** Reassembles fragmented text frames into whole protocol messages. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder buffer = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      buffer.append(data);
      if (last) {
        String text = buffer.toString();
        buffer.setLength(0);
        onMessage(text);
      }
      ws.request(1);
      return null;
    }
  }
}

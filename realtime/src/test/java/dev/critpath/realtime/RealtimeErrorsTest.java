package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.supabase.TokenMinter;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad endpoints are counted and reported, and no run waits longer than its timeouts. */
class RealtimeErrorsTest {
  private static final int SUBSCRIBERS = 5;
  private static Database db;

  @BeforeAll
  static void database() {
    db = TestDatabases.migrated("rt_errors");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static RealtimeScenarioResult run(String url, String apiKey, String jwtSecret) {
    RealtimeSettings s =
        Runs.with(
            Runs.websocket(SUBSCRIBERS, 5, 2, 1, null, 0),
            RemoteRealtime.of(url, apiKey, jwtSecret));
    StringWriter console = new StringWriter();
    RealtimeReport report = RealtimeBenchmark.run(db, s, new PrintWriter(console, true));
    RealtimeScenarioResult r = report.scenarios().get(0);
    System.out.println(console);
    System.out.println(Json.write(r));
    // nobody could subscribe: a connection problem, not a slow path, and nothing is sent
    assertThat(report.passed()).isFalse();
    assertThat(report.measured()).isFalse();
    assertThat(r.measured()).isFalse();
    assertThat(r.messages().sent()).isZero();
    assertThat(r.notes()).anyMatch(n -> n.contains("nothing was sent or measured"));
    assertThat(r.errors().firstError()).isNotBlank();
    assertThat(report.unmeasuredReason()).startsWith("websocket: ");
    return r;
  }

  private static String anyKey() {
    return new TokenMinter(
            TokenMinter.randomSecret(), "authenticated", "authenticated", Duration.ofHours(1))
        .forRole("anon");
  }

  @Test
  void nobodyListeningCountsConnectFailuresAtOnce() throws IOException {
    int closed;
    try (ServerSocket tmp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = tmp.getLocalPort();
    }
    long t0 = System.nanoTime();
    RealtimeScenarioResult r =
        run("ws://127.0.0.1:" + closed + "/realtime/v1/websocket", anyKey(), null);
    assertThat(r.errors().connectFailures()).isEqualTo(SUBSCRIBERS);
    assertThat(r.errors().firstError()).containsIgnoringCase("refused");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(15);
  }

  @Test
  void aServerThatNeverAnswersTimesOutInsteadOfHanging() throws IOException {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread accept =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // accept, then say nothing
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      accept.setDaemon(true);
      accept.start();
      long t0 = System.nanoTime();
      RealtimeScenarioResult r =
          run("ws://127.0.0.1:" + silent.getLocalPort() + "/realtime/v1/websocket", anyKey(), null);
      assertThat(r.errors().connectFailures()).isEqualTo(SUBSCRIBERS);
      assertThat(r.errors().firstError()).containsIgnoringCase("timed out");
      assertThat((System.nanoTime() - t0) / 1e9)
          .isLessThan(3 * WebSocketScenario.TIMEOUT.toSeconds() + 10);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void tokensTheServerRejectsAreJoinFailures() {
    String secret = TokenMinter.randomSecret();
    String apiKey =
        new TokenMinter(secret, "authenticated", "authenticated", Duration.ofHours(1))
            .forRole("anon");
    try (RealtimeRelay relay = RealtimeRelay.start(db.spec(), secret)) {
      // the gateway accepts the anon key, but user tokens are signed with another secret
      RealtimeScenarioResult r = run(relay.websocketUrl(), apiKey, TokenMinter.randomSecret());
      assertThat(r.errors().connectFailures()).isZero();
      assertThat(r.errors().joinFailures()).isEqualTo(SUBSCRIBERS);
      assertThat(r.errors().firstError()).contains("Failed to validate JWT signature");
    }
  }

  @Test
  void aWrongApiKeyIsRefusedAtTheUpgrade() {
    try (RealtimeRelay relay = RealtimeRelay.start(db.spec(), TokenMinter.randomSecret())) {
      RealtimeScenarioResult r = run(relay.websocketUrl(), anyKey(), null);
      assertThat(r.errors().connectFailures()).isEqualTo(SUBSCRIBERS);
      assertThat(r.errors().firstError()).contains("401");
    }
  }

  @Test
  void framesThatAreNotTheProtocolAreProtocolErrors() throws Exception {
    try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = garbage.accept();
                    Thread t = new Thread(() -> upgradeThenGarbage(s));
                    t.setDaemon(true);
                    t.start();
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      server.setDaemon(true);
      server.start();
      RealtimeScenarioResult r =
          run(
              "ws://127.0.0.1:" + garbage.getLocalPort() + "/realtime/v1/websocket",
              anyKey(),
              null);
      assertThat(r.errors().protocolErrors()).isGreaterThanOrEqualTo(SUBSCRIBERS);
      assertThat(r.errors().connectFailures() + r.errors().joinFailures()).isEqualTo(SUBSCRIBERS);
    }
  }

  /** Completes the WebSocket upgrade, sends one text frame that is not JSON, and hangs up. */
  private static void upgradeThenGarbage(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      StringBuilder header = new StringBuilder();
      while (!header.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          return;
        }
        header.append((char) c);
      }
      Matcher key = Pattern.compile("(?i)sec-websocket-key: *(\\S+)").matcher(header);
      if (!key.find()) {
        return;
      }
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest(
                  (key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                      .getBytes(StandardCharsets.US_ASCII));
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + Base64.getEncoder().encodeToString(sha1)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] text = "<html>not a phoenix frame</html>".getBytes(StandardCharsets.UTF_8);
      out.write(0x81); // FIN + text
      out.write(text.length);
      out.write(text);
      out.flush();
      Thread.sleep(200);
    } catch (Exception e) {
      // the client went away first
    }
  }
}

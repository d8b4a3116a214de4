package dev.critpath.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.critpath.UserError;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShapingProxyTest {
  private static final long RTT_4G = NetworkProfile.LTE_4G.rttMillis();

  /**
   * Upper bounds leave room for a loaded machine (2 cores shared with builds) but stay below one
   * more round trip, so they still tell one round trip from two.
   */
  private static final long SLACK = 120;

  private ServerSocket upstream;
  private Thread acceptor;

  @BeforeEach
  void echoServer() throws IOException {
    upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!upstream.isClosed()) {
                try {
                  Socket s = upstream.accept();
                  s.setTcpNoDelay(true);
                  Thread t = new Thread(() -> echo(s));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws IOException {
    upstream.close();
  }

  private static void echo(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // client went away
    }
  }

  @Test
  void freshRequestPaysHandshakeAndRoundTripThenEachRequestOneRoundTrip() throws Exception {
    try (ShapingProxy proxy =
        ShapingProxy.forward("127.0.0.1", upstream.getLocalPort(), NetworkProfile.LTE_4G)) {
      // Timed from before the connect: the link opens when the proxy accepts, and a cold JVM may
      // take milliseconds between connecting and the first write.
      long connecting = System.nanoTime();
      try (Socket s = new Socket(proxy.host(), proxy.port())) {
        s.setTcpNoDelay(true);
        long fresh = pingMillis(s, connecting);
        long warm = pingMillis(s);
        // SYN/SYN-ACK, then request and reply: two round trips on a fresh connection.
        assertThat(fresh).isBetween(2 * RTT_4G, 2 * RTT_4G + SLACK);
        assertThat(warm).isBetween(RTT_4G, RTT_4G + SLACK);
      }
    }
  }

  @Test
  void withoutProxyTheSameRoundTripIsFast() throws Exception {
    try (Socket s = new Socket("127.0.0.1", upstream.getLocalPort())) {
      s.setTcpNoDelay(true);
      pingMillis(s);
      assertThat(pingMillis(s)).isLessThan(RTT_4G / 2);
    }
  }

  @Test
  void uploadOfOneMegabyteOn4gTakesItsSerialisationTime() throws Exception {
    int size = 1_000_000;
    AtomicLong firstByte = new AtomicLong();
    AtomicLong lastByte = new AtomicLong();
    try (ServerSocket sink = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread reader =
          new Thread(
              () -> {
                try (Socket s = sink.accept();
                    InputStream in = s.getInputStream()) {
                  byte[] buf = new byte[64 * 1024];
                  long total = 0;
                  int n;
                  while (total < size && (n = in.read(buf)) > 0) {
                    if (total == 0) {
                      firstByte.set(System.nanoTime());
                    }
                    total += n;
                  }
                  lastByte.set(System.nanoTime());
                  s.getOutputStream().write(1);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      reader.start();
      try (ShapingProxy proxy =
              ShapingProxy.forward("127.0.0.1", sink.getLocalPort(), NetworkProfile.LTE_4G);
          Socket s = new Socket(proxy.host(), proxy.port())) {
        long start = System.nanoTime();
        s.getOutputStream().write(new byte[size]);
        s.getOutputStream().flush();
        assertThat(s.getInputStream().read()).isEqualTo(1);
        long total = System.nanoTime() - start;
        reader.join(10_000);
        double spreadSeconds = (lastByte.get() - firstByte.get()) / 1e9;
        double expected = NetworkProfile.LTE_4G.serialisationSeconds(size, true); // 1.6 s
        assertThat(expected).isEqualTo(1.6);
        assertThat(spreadSeconds).isBetween(expected - 0.1, expected + 0.25);
        // handshake RTT + serialisation + one-way up + one-way back for the reply byte
        assertThat(total / 1e9).isBetween(expected + 2 * RTT_4G / 1e3, expected + 0.6);
        assertThat(proxy.stats().bytesUp()).isEqualTo(size);
      }
    }
  }

  @Test
  void downloadIsShapedByTheDownlinkAndBytesArriveIntact() throws Exception {
    byte[] payload = new byte[500_000];
    new Random(42).nextBytes(payload);
    try (ShapingProxy proxy =
            ShapingProxy.forward("127.0.0.1", upstream.getLocalPort(), NetworkProfile.FAST_3G);
        Socket s = new Socket(proxy.host(), proxy.port())) {
      long start = System.nanoTime();
      Thread writer =
          new Thread(
              () -> {
                try {
                  s.getOutputStream().write(payload);
                  s.getOutputStream().flush();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
      byte[] back = new DataInputStream(s.getInputStream()).readNBytes(payload.length);
      double seconds = (System.nanoTime() - start) / 1e9;
      writer.join();
      assertThat(Arrays.equals(back, payload)).isTrue();
      // The 750 kbps uplink is the bottleneck of the echo: 500 kB take about 5.3 s up.
      double up = NetworkProfile.FAST_3G.serialisationSeconds(payload.length, true);
      assertThat(seconds).isBetween(up, up + 1.5);
    }
  }

  @Test
  void httpClientThroughTheProxySeesTheProfile() throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/hello",
        ex -> {
          byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    http.start();
    try (ShapingProxy proxy =
        ShapingProxy.forward("127.0.0.1", http.getAddress().getPort(), NetworkProfile.LTE_4G)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + proxy.port() + "/hello");
      HttpRequest get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
      long t0 = System.nanoTime();
      HttpResponse<String> first = client.send(get, HttpResponse.BodyHandlers.ofString());
      long fresh = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      client.send(get, HttpResponse.BodyHandlers.ofString());
      long reused = (System.nanoTime() - t0) / 1_000_000;
      assertThat(first.body()).isEqualTo("hi");
      assertThat(fresh).isGreaterThanOrEqualTo(2 * RTT_4G);
      assertThat(reused).isBetween(RTT_4G, RTT_4G + SLACK);
    } finally {
      http.stop(0);
    }
  }

  @Test
  void connectTunnelAnswersAfterOneRoundTripAndShapesTheTunnel() throws Exception {
    try (ShapingProxy proxy = ShapingProxy.connectProxy(NetworkProfile.LTE_4G);
        Socket s = new Socket(proxy.host(), proxy.port())) {
      s.setTcpNoDelay(true);
      long t0 = System.nanoTime();
      String connect =
          "CONNECT 127.0.0.1:" + upstream.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n";
      s.getOutputStream().write(connect.getBytes(StandardCharsets.US_ASCII));
      String status = readHeader(s.getInputStream());
      long handshake = (System.nanoTime() - t0) / 1_000_000;
      assertThat(status).startsWith("HTTP/1.1 200");
      assertThat(handshake).isBetween(RTT_4G, RTT_4G + SLACK);
      assertThat(pingMillis(s)).isBetween(RTT_4G, RTT_4G + SLACK);
    }
  }

  @Test
  void connectToAClosedPortAnswers502() throws Exception {
    int closedPort;
    try (ServerSocket tmp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = tmp.getLocalPort();
    }
    try (ShapingProxy proxy = ShapingProxy.connectProxy(NetworkProfile.NR_5G);
        Socket s = new Socket(proxy.host(), proxy.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              ("CONNECT 127.0.0.1:" + closedPort + " HTTP/1.1\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(readHeader(s.getInputStream())).startsWith("HTTP/1.1 502");
      assertThat(proxy.stats().failedConnections()).isEqualTo(1);
    }
  }

  @Test
  void forwardToAClosedPortClosesTheClientQuickly() throws Exception {
    int closedPort;
    try (ServerSocket tmp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = tmp.getLocalPort();
    }
    try (ShapingProxy proxy = ShapingProxy.forward("127.0.0.1", closedPort, NetworkProfile.NR_5G);
        Socket s = new Socket(proxy.host(), proxy.port())) {
      s.setSoTimeout(5000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void badProfilesAndHostsAreUserErrors() {
    assertThat(NetworkProfile.parse("4G")).isEqualTo(NetworkProfile.LTE_4G);
    assertThat(NetworkProfile.parse("Slow 3G")).isEqualTo(NetworkProfile.SLOW_3G);
    assertThat(NetworkProfile.parse("fast_3g")).isEqualTo(NetworkProfile.FAST_3G);
    assertThat(NetworkProfile.parse("none")).isNull();
    NetworkProfile custom = NetworkProfile.parse("custom:250/2000/1000");
    assertThat(custom.rttMillis()).isEqualTo(250);
    assertThat(custom.upBitsPerSecond()).isEqualTo(1_000_000);
    assertThatThrownBy(() -> NetworkProfile.parse("6g"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("slow-3g, fast-3g, 4g, 5g");
    assertThatThrownBy(
            () -> ShapingProxy.forward("no-such-host.invalid", 5432, NetworkProfile.LTE_4G))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("does not resolve");
  }

  private static long pingMillis(Socket s) throws IOException {
    return pingMillis(s, System.nanoTime());
  }

  private static long pingMillis(Socket s, long t0) throws IOException {
    s.getOutputStream().write('p');
    s.getOutputStream().flush();
    assertThat(s.getInputStream().read()).isEqualTo('p');
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static String readHeader(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (sb.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    return sb.toString();
  }
}

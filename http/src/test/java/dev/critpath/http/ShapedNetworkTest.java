package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import dev.critpath.network.NetworkProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios over an emulated network: the profile's round trips show in what the engine measures.
 */
class ShapedNetworkTest {
  private static final double RTT = NetworkProfile.LTE_4G.rttMillis();

  /**
   * Upper bounds leave room for a loaded machine (2 cores shared with builds) but stay below one
   * more round trip, so they still tell a reused connection from a fresh one.
   */
  private static final double SLACK = 120;

  /** The direct run's median on loopback, at most, however busy the machine. */
  private static final double DIRECT_MEDIAN_MAX = RTT / 4;

  private static final String SCENARIO =
      "requests:\n  ping: {path: /ok, auth: none, checks: [{status: 200}]}\n"
          + "scenarios:\n  steady: {executor: shared-iterations, vus: 2, iterations: 20}\n"
          + "thresholds:\n  checks: [rate==1]\n";

  @TempDir Path dir;
  private TestHttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = new TestHttpServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResult run(String network) throws IOException {
    return run(server.url(), network);
  }

  private HttpResult run(String baseUrl, String network) throws IOException {
    Path file = dir.resolve("ping.yaml");
    Files.writeString(file, SCENARIO);
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(file.toString());
    options.baseUrl = baseUrl;
    options.network = network;
    options.env = Map.of();
    StringWriter out = new StringWriter();
    HttpResult result = HttpStage.run(options, null, new PrintWriter(out));
    System.out.println(out);
    assertThat(result.passed()).as(out.toString()).isTrue();
    return result;
  }

  private static ScenarioResult only(HttpResult r) {
    return r.files().get(0).scenarios().get(0);
  }

  @Test
  void fourGAddsItsRoundTripToEveryRequest() throws IOException {
    ScenarioResult direct = only(run(null));
    ScenarioResult shaped = only(run("4g"));
    System.out.printf(
        "p50 direct %.2f ms, 4g %.2f ms; max direct %.2f ms, 4g %.2f ms%n",
        direct.latency().p50(),
        shaped.latency().p50(),
        direct.latency().max(),
        shaped.latency().max());

    assertThat(shaped.requests()).isEqualTo(20);
    // A request and its response each cross the link once: one RTT on a kept-alive connection
    // (the proxy never delivers early), not two.
    assertThat(shaped.latency().p50()).isBetween(RTT, RTT + SLACK);
    assertThat(shaped.waiting().p50()).isGreaterThanOrEqualTo(RTT);
    assertThat(direct.latency().p50()).isLessThan(DIRECT_MEDIAN_MAX);
    assertThat(shaped.latency().p50() - direct.latency().p50())
        .isGreaterThanOrEqualTo(RTT - DIRECT_MEDIAN_MAX);
    // Each VU's first request also pays the emulated TCP handshake: two round trips.
    assertThat(shaped.latency().max()).isGreaterThanOrEqualTo(2 * RTT);
  }

  @Test
  void runJsonNamesTheProfileAndItsParametersPerScenario() throws IOException {
    HttpResult direct = run("none");
    HttpResult shaped = run("custom:20/8000/2000");
    assertThat(only(direct).network()).isNull();
    assertThat(Json.write(direct)).doesNotContain("\"network\"");

    JsonNode network =
        Json.mapper().readTree(Json.write(shaped)).at("/files/0/scenarios/0/network");
    assertThat(network.path("name").asText()).isEqualTo("custom");
    assertThat(network.path("rttMillis").asLong()).isEqualTo(20);
    assertThat(network.path("downBitsPerSecond").asLong()).isEqualTo(8_000_000);
    assertThat(network.path("upBitsPerSecond").asLong()).isEqualTo(2_000_000);
    assertThat(only(shaped).latency().p50()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void httpsStaysEndToEndAndItsHandshakePaysTheLinksRoundTrips() throws Exception {
    Path store = selfSigned();
    Map<String, String> trust =
        Map.of(
            "javax.net.ssl.trustStore",
            store.toString(),
            "javax.net.ssl.trustStorePassword",
            STORE_PASSWORD,
            "javax.net.ssl.trustStoreType",
            "PKCS12");
    Map<String, String> before = new HashMap<>();
    trust.keySet().forEach(k -> before.put(k, System.getProperty(k)));
    trust.forEach(System::setProperty);
    try (TestHttpServer https = new TestHttpServer(serverContext(store))) {
      ScenarioResult shaped = only(run(https.url(), "4g"));
      System.out.printf(
          "https on 4g: connecting %s, latency %s%n", shaped.connecting(), shaped.latency());
      // One connection per VU; each pays the emulated TCP handshake (its ClientHello is the first
      // byte) and at least one more round trip for TLS before the first request leaves.
      assertThat(shaped.connecting().count()).isEqualTo(2);
      assertThat(shaped.connecting().min()).isGreaterThanOrEqualTo(2 * RTT);
      assertThat(shaped.latency().p50()).isBetween(RTT, RTT + SLACK);
    } finally {
      before.forEach(
          (k, v) -> {
            if (v == null) {
              System.clearProperty(k);
            } else {
              System.setProperty(k, v);
            }
          });
    }
  }

  private static final String STORE_PASSWORD = "test-only";

  /** A self-signed key for 127.0.0.1, made with the JDK's keytool; also the client's trust. */
  private Path selfSigned() throws IOException, InterruptedException {
    Path store = dir.resolve("tls.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                STORE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(output).isZero();
    return store;
  }

  private static SSLContext serverContext(Path store) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, STORE_PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }
}

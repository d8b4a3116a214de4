package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import dev.critpath.network.NetworkProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    Path file = dir.resolve("ping.yaml");
    Files.writeString(file, SCENARIO);
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(file.toString());
    options.baseUrl = server.url();
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
}

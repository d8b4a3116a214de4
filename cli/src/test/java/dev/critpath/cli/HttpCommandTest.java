package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.critpath.io.Json;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./run.sh http} against a base URL: exit codes and what the user sees. */
class HttpCommandTest {
  @TempDir Path dir;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(
        "/functions/v1/",
        ex -> {
          boolean good = ex.getRequestURI().getPath().endsWith("/good");
          byte[] body =
              (good
                      ? "{\"ok\":true}"
                      : "upstream timed out: <html><body>504 Gateway Time-out</body></html>")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(good ? 200 : 504, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private Path scenario(String function) throws Exception {
    Path file = dir.resolve(function + ".yaml");
    Files.writeString(
        file,
        "requests:\n  call: {path: /functions/v1/"
            + function
            + ", auth: none, checks: [{json: ok, equals: true}]}\n"
            + "scenarios:\n  a: {executor: shared-iterations, vus: 2, iterations: 20}\n"
            + "thresholds:\n  checks: [rate==1]\n");
    return file;
  }

  @Test
  void passingScenarioExitsZeroAndWritesRunJson() throws Exception {
    CliRun run =
        CliRun.of(
            "http", "--base-url", url(), "--results", dir.toString(), scenario("good").toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("ok    call").contains("http: pass");
    String json = Files.readString(dir.resolve("latest").resolve("run.json"));
    assertThat(json).contains("\"http\"").contains("\"verdict\" : \"pass\"");
  }

  /**
   * A segment ready after its --start-at (a pod scheduled late) starts at once rather than never,
   * and says so in one line, kept in run.json; the merge then judges the skew.
   */
  @Test
  void aStartTimeAlreadyPastStartsAtOnceAndSaysSo() throws Exception {
    String past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
    CliRun run =
        CliRun.of(
            "http",
            "--base-url",
            url(),
            "--start-at",
            past,
            "--results",
            dir.toString(),
            scenario("good").toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    String said = "--start-at " + past + " had passed when the load was ready, ";
    assertThat(run.out().lines().filter(l -> l.contains(said)).toList())
        .singleElement()
        .asString()
        .endsWith(" ms late: started at once");
    assertThat(Files.readString(dir.resolve("latest").resolve("run.json"))).contains(said);
  }

  /**
   * A remote target without --db-url: the server was not visible, which run.json and the console
   * say, and seed 001's server thresholds are not evaluated rather than passed.
   */
  @Test
  void withoutADatabaseServerThresholdsAreNotEvaluatedAndTheGapIsStated() throws Exception {
    Path file = dir.resolve("server.yaml");
    Files.writeString(
        file,
        Files.readString(scenario("good"))
            .replace(
                "thresholds:\n",
                "thresholds:\n  db_cpu: ['max<70']\n  pool_waiting: ['count==0']\n"));
    CliRun run =
        CliRun.of("http", "--base-url", url(), "--results", dir.toString(), file.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("n/a  db_cpu max<70: not evaluated: no database connection");
    JsonNode root = Json.mapper().readTree(dir.resolve("latest").resolve("run.json").toFile());
    JsonNode stage = root.at("/sections/server/stages/0");
    assertThat(stage.path("stage").asText()).isEqualTo("http");
    assertThat(stage.path("cpu").asText()).startsWith("not visible: no database connection");
    assertThat(stage.path("notCaptured").findValuesAsText("fix")).contains("--db-url");
    JsonNode cpu = root.at("/sections/http/files/0/thresholds/1");
    assertThat(cpu.path("metric").asText()).isEqualTo("db_cpu");
    assertThat(cpu.has("passed")).isFalse();
    assertThat(cpu.path("note").asText()).startsWith("not evaluated: ");
  }

  @Test
  void failedValidationExitsOneShowingStatusAndBodyStart() throws Exception {
    CliRun run =
        CliRun.of(
            "http",
            "--base-url",
            url(),
            "--results",
            dir.toString(),
            scenario("broken").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("FAIL  call")
        .contains("status 504")
        .contains("body: upstream timed out: <html><body>504 Gateway Time-out")
        .contains("functional validation failed, no load was run");
  }

  @Test
  void anUnknownNetworkProfileExitsTwoWithOneLineBeforeAnyRun() throws Exception {
    CliRun run =
        CliRun.of(
            "http",
            "--base-url",
            url(),
            "--results",
            dir.toString(),
            "--network",
            "9g",
            scenario("good").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown network profile '9g': use slow-3g, fast-3g, 4g, 5g");
    assertThat(run.errLines()).as(run.err()).isEqualTo(1);
    assertThat(dir.resolve("latest")).doesNotExist();
  }

  @Test
  void theNetworkProfileLandsInRunJsonPerScenario() throws Exception {
    CliRun run =
        CliRun.of(
            "http",
            "--base-url",
            url(),
            "--results",
            dir.toString(),
            "--network",
            "5g",
            scenario("good").toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("over 5G (10 ms RTT, 100.0 Mbps down / 50.0 Mbps up)");
    JsonNode network =
        Json.mapper()
            .readTree(dir.resolve("latest").resolve("run.json").toFile())
            .at("/sections/http/files/0/scenarios/0/network");
    assertThat(network.path("name").asText()).isEqualTo("5g");
    assertThat(network.path("rttMillis").asLong()).isEqualTo(10);
  }

  @Test
  void aMalformedScenarioExitsTwoNamingFileAndLine() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file, "requests:\n  a: {path: /x}\nscenarios:\n  s:\n    executor: closed-vus\n");
    CliRun run =
        CliRun.of("http", "--base-url", url(), "--results", dir.toString(), file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(file + ":5: scenarios.s.executor: unknown executor \"closed-vus\"");
    assertThat(CliRun.of("http", "--base-url", url(), "nonsense").err())
        .contains("scenario nonsense is neither a file nor a bundled scenario");
  }
}

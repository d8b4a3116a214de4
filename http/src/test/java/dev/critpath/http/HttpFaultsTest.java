package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.http.metrics.SecondRow;
import dev.critpath.testkit.RestartableDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in the middle of a scenario against the local functions, as the CLI runs it: PostgreSQL
 * crashes and restarts (the functions' pools reconnect, the failures are counted as 5xx), the
 * functions server is killed (the requests are refused, the scenario still ends on time). Either
 * way the http_req_failed threshold fails the file, which the CLI turns into exit code 1.
 */
class HttpFaultsTest {
  private static final int RATE = 20;

  /** Long enough for the outage, the recovery and the served window after it. */
  private static final Duration OUTAGE_SCENARIO = Duration.ofSeconds(15);

  private static final Duration KILL_SCENARIO = Duration.ofSeconds(6);

  /** How long the database refuses connections: an outage, not a blip. */
  private static final Duration DOWNTIME = Duration.ofSeconds(5);

  /** How soon after the database is back the functions must answer again. */
  private static final Duration RECOVERY = Duration.ofSeconds(2);

  /** The window after {@link #RECOVERY} that must be served without failures. */
  private static final Duration SERVED = Duration.ofSeconds(3);

  /** Load for a while before the fault, so that the scenario starts healthy. */
  private static final Duration BEFORE_FAULT = Duration.ofSeconds(1);

  /** What "no hang" allows beyond the scenario's duration on a busy machine. */
  private static final Duration END_MARGIN = Duration.ofSeconds(10);

  private static final Duration WAIT_FOR_LOAD = Duration.ofMinutes(2);
  private static final long POLL_MILLIS = 20;
  private static final String LOAD_STARTED = "http:   scenario steady";

  private static RestartableDatabase server;
  @TempDir Path dir;

  @BeforeAll
  static void database() throws Exception {
    server = RestartableDatabase.migrated();
    LocalFunctions.loadFixtures(server.db());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aDatabaseOutageIsCountedAsServerErrorsAndTheFunctionsReconnectPromptly() throws Exception {
    StringWriter out = new StringWriter();
    // seconds from the start of the load (the time series' clock) to the database being back
    CompletableFuture<Double> back =
        CompletableFuture.supplyAsync(
            () -> {
              long loadStarted = awaitLoad(out);
              server.crashAndRestart(DOWNTIME);
              return (System.nanoTime() - loadStarted) / 1e9;
            });
    HttpResult r = run(out, OUTAGE_SCENARIO);
    double upAt = back.get(1, TimeUnit.MINUTES);

    ScenarioResult steady = steady(r);
    assertThat(steady.errors()).as(out.toString()).containsKey("5xx");
    assertThat(steady.statusCodes()).containsKeys("200", "500");
    // the functions' pools reconnected soon after the database came back, and stayed up
    double from = upAt + RECOVERY.toSeconds();
    double to = from + SERVED.toSeconds();
    List<SecondRow> after = steady.timeSeries().stream().filter(row -> row.t() > from).toList();
    assertThat(after).as("seconds after %.1f s", from).allMatch(row -> row.failed() == 0);
    assertThat(after.stream().filter(row -> row.t() <= to).mapToLong(SecondRow::requests).sum())
        .as("responses from %.1f s to %.1f s (database back at %.1f s)", from, to, upAt)
        .isGreaterThanOrEqualTo(RATE);
    assertFailsItsThreshold(r);
  }

  @Test
  void killingTheFunctionsServerIsCountedAsRefusedAndTheScenarioEndsOnTime() throws Exception {
    StringWriter out = new StringWriter();
    CompletableFuture<Long> killed =
        CompletableFuture.supplyAsync(
            () -> {
              awaitLoad(out);
              ProcessHandle deno =
                  ProcessHandle.current()
                      .children()
                      .filter(p -> p.info().commandLine().orElse("").contains("server/main.ts"))
                      .findFirst()
                      .orElseThrow(() -> new IllegalStateException("no functions server running"));
              deno.destroyForcibly();
              return System.nanoTime();
            });
    HttpResult r = run(out, KILL_SCENARIO);
    long ended = System.nanoTime();
    long killedAt = killed.get(1, TimeUnit.MINUTES);

    assertThat(Duration.ofNanos(ended - killedAt))
        .as("from the kill to the end of the stage")
        .isLessThan(KILL_SCENARIO.plus(END_MARGIN));
    ScenarioResult steady = steady(r);
    assertThat(steady.statusCodes()).containsKey("200");
    assertThat(steady.errors()).as(out.toString()).containsKey("refused");
    assertFailsItsThreshold(r);
  }

  private HttpResult run(StringWriter out, Duration duration) throws Exception {
    Path scenario = dir.resolve("steady.yaml");
    Files.writeString(
        scenario,
        String.join(
            "\n",
            "data:",
            "  members: {sql: 'SELECT profile_id AS user_id FROM conversation_participants'}",
            "defaults: {timeout: 30s}",
            "requests:",
            "  inbox:",
            "    path: /functions/v1/conversation-list",
            "    user: ${members.user_id}",
            "    checks: [{status: 200}]",
            "scenarios:",
            "  steady: {executor: constant-arrival-rate, rate: "
                + RATE
                + ", duration: "
                + duration.toSeconds()
                + "s, preAllocatedVUs: 4, maxVUs: 16, exec: inbox}",
            "thresholds:",
            "  http_req_failed: [\"rate<0.01\"]",
            ""));
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(scenario.toString());
    options.env = Map.of();
    options.logDir = dir;
    HttpResult result = HttpStage.run(options, server.db(), new PrintWriter(out, true));
    System.out.println(out); // kept in the surefire report, for when an assertion fails
    return result;
  }

  /**
   * Waits until the load runs (the functional validation passed), then a little longer; returns
   * when it saw the load start (System.nanoTime, within a poll of the time series' start).
   */
  private static long awaitLoad(StringWriter out) {
    long deadline = System.nanoTime() + WAIT_FOR_LOAD.toNanos();
    try {
      while (!out.toString().contains(LOAD_STARTED)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the load did not start: " + out);
        }
        Thread.sleep(POLL_MILLIS);
      }
      long started = System.nanoTime();
      Thread.sleep(BEFORE_FAULT.toMillis());
      return started;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static ScenarioResult steady(HttpResult r) {
    FileResult f = r.files().get(0);
    assertThat(f.validation().passed()).isTrue();
    return f.scenarios().get(0);
  }

  private static void assertFailsItsThreshold(HttpResult r) {
    assertThat(r.passed()).isFalse();
    FileResult f = r.files().get(0);
    assertThat(f.verdict()).isEqualTo(HttpResult.FAIL);
    assertThat(f.thresholds())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.metric()).isEqualTo("http_req_failed");
              assertThat(t.passed()).isFalse();
            });
  }
}

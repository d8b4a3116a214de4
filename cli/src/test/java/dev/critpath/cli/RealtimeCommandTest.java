package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RealtimeCommandTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--network 6g|unknown network profile '6g'",
        "--level sideways|--level must be one of listen, websocket, both",
        "--event presence|--event must be one of postgres_changes, broadcast",
        "--vsn 3.0.0|unknown --vsn 3.0.0: Supabase Realtime speaks 1.0.0 or 2.0.0",
        "--subscribers 0|--subscribers must be 1..",
        "--conversations 5 --subscribers 2|--conversations must be 1..subscribers",
        "--duration 4 --offline 5|--offline (5 s) must be at most half of --duration",
        "--realtime-url ftp://x|needs the project's anon key"
      })
  void badOptionsAreOneLineAndExit2(String args, String message) {
    CliRun run = CliRun.of(("realtime " + args).split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  @Test
  void aProjectUrlWithCritpathsOwnDatabaseIsRefusedBeforeAnyConnection() {
    // no --db-url: the embedded server, which a project's Realtime can never see
    CliRun run =
        CliRun.of(
            "realtime",
            "--realtime-url",
            "ws://127.0.0.1:9/realtime/v1/websocket",
            "--apikey",
            "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("the database is critpath's own");
    assertThat(run.out() + run.err()).doesNotContain("eyJyb2xlIjoiYW5vbiJ9");
  }

  /** {@code realtime} on {@code db} with {@code options}, results in {@code results}. */
  private static CliRun realtime(Database db, Path results, String... options) {
    List<String> args = new ArrayList<>(List.of("realtime", "--db-url", CliRun.dbUrl(db.spec())));
    args.addAll(List.of(options));
    args.addAll(List.of("--results", results.toString()));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void anUnreachableRealtimeUrlIsReportedAndExits2(@TempDir Path results) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (Database db = TestDatabases.migrated("cli_rt_down")) {
      CliRun run =
          realtime(
              db,
              results,
              "--level",
              "websocket",
              "--subscribers",
              "3",
              "--duration",
              "2",
              "--realtime-url",
              "ws://127.0.0.1:" + closed + "/realtime/v1/websocket",
              "--apikey",
              "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("nobody could subscribe", "Connection refused");
      JsonNode json = Json.mapper().readTree(Files.readString(results.resolve("latest/run.json")));
      assertThat(json.path("verdict").asText()).isEqualTo("error");
      assertThat(json.at("/sections/realtime/scenarios/0/errors/connectFailures").asLong())
          .isEqualTo(3);
    }
  }

  @Test
  void aSmallRunWritesBothLevelsIntoRunJson(@TempDir Path results) throws Exception {
    try (Database db = TestDatabases.migrated("cli_rt")) {
      CliRun run =
          realtime(
              db,
              results,
              "--subscribers",
              "10",
              "--rate",
              "10",
              "--duration",
              "3",
              "--reconnects",
              "1",
              "--offline",
              "1",
              "--drain",
              "5");
      // pass or fail depends on this machine's load; setting up and measuring must work
      assertThat(run.exitCode()).as(run.err()).isIn(0, 1);
      assertThat(run.out()).contains("realtime listen:", "realtime websocket:", "results in");
      JsonNode realtime =
          Json.mapper()
              .readTree(Files.readString(results.resolve("latest/run.json")))
              .path("sections")
              .path("realtime");
      assertThat(realtime.path("scenarios")).hasSize(2);
      assertThat(realtime.path("scenarios").get(0).path("level").asText()).isEqualTo("listen");
      assertThat(realtime.path("scenarios").get(1).path("level").asText()).isEqualTo("websocket");
      for (JsonNode scenario : realtime.path("scenarios")) {
        assertThat(scenario.path("messages").path("lost").asLong()).isZero();
        assertThat(scenario.path("thresholds").size()).isGreaterThanOrEqualTo(3);
      }
      assertThat(realtime.path("passed").isBoolean()).isTrue();
      assertThat(realtime.path("scenarios").get(1).path("notes").toString())
          .contains("delivery path: postgres_changes from logical decoding")
          .contains("vsn 2.0.0");
    }
  }

  /**
   * Segments on several hosts start together: the run, and with it run.json's startedAt (the load
   * start the merge compares), begins at --start-at, not when the process came up.
   */
  @Test
  void aSegmentWaitsForItsStartTime(@TempDir Path results) throws Exception {
    try (Database db = TestDatabases.migrated("cli_rt_start")) {
      // taken once the database is ready: a first test in the JVM also starts the embedded server
      Instant at = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
      CliRun run =
          realtime(
              db,
              results,
              "--level",
              "listen",
              "--subscribers",
              "2",
              "--duration",
              "1",
              "--drain",
              "1",
              "--segment",
              "1/2",
              "--start-at",
              at.toString());
      assertThat(run.exitCode()).as(run.out() + run.err()).isIn(0, 1);
      assertThat(run.out()).contains("realtime: load starts at " + at);
      Instant started =
          Instant.parse(
              Json.mapper()
                  .readTree(Files.readString(results.resolve("latest/run.json")))
                  .path("startedAt")
                  .asText());
      assertThat(started).isAfterOrEqualTo(at);
    }
  }
}

package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import dev.critpath.testkit.ManagedServer;
import dev.critpath.testkit.PgBouncer;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stage as a role that is no superuser and has no CREATEDB, on servers set up like managed
 * ones: what cannot be captured is said per stage in run.json and in every report, never left
 * blank.
 */
class ManagedServerTest {

  @Test
  void theWholeSuiteRunsAsAnOwnerWithoutPrivilegesAndSaysWhatItMissed(@TempDir Path dir)
      throws Exception {
    try (ManagedServer server = ManagedServer.start(false)) {
      TestDatabases.exec(server.admin(), "SELECT 1"); // the superuser only sets the server up
      Path results = dir.resolve("results");
      CliRun run =
          CliRun.of(
              "--dataset",
              "tiny",
              "--smoke",
              "--results",
              results.toString(),
              "--db-url",
              CliRun.dbUrl(server.owner()));
      assertThat(run.exitCode()).as(run.out() + run.err()).isIn(0, 1);

      Path runDir = results.resolve("latest").toRealPath();
      JsonNode sections =
          Json.mapper().readTree(runDir.resolve("run.json").toFile()).path("sections");
      assertThat(sections.has("stageErrors"))
          .as("no stage broke: %s", sections.path("stageErrors"))
          .isFalse();
      for (String stage : List.of("explain", "bench", "rls", "inspect", "invariants")) {
        assertThat(sections.has(stage)).as("section " + stage).isTrue();
      }
      List<String> lost = new ArrayList<>();
      sections
          .path("notCaptured")
          .forEach(n -> lost.add(n.path("stage").asText() + ": " + n.path("why").asText()));
      assertThat(lost)
          .as("what was not captured, per stage")
          .anyMatch(l -> l.startsWith("bench: not in shared_preload_libraries"))
          .anyMatch(l -> l.startsWith("explain: off"))
          .anyMatch(l -> l.startsWith("explain: not preloaded and not superuser"))
          // no hypopg loses nothing here: on a database critpath owns, what-if builds for real
          .noneMatch(l -> l.startsWith("explain: not available"))
          .anyMatch(l -> l.startsWith("realtime: the role may not create replication slots"));
      assertThat(sections.at("/bench/serverStats").asText())
          .startsWith("unavailable: pg_stat_statements cannot be read")
          .contains("shared_preload_libraries");

      String md = Files.readString(runDir.resolve("report.md"));
      String html = Files.readString(runDir.resolve("report.html"));
      String junit = Files.readString(runDir.resolve("junit.xml"));
      for (String report : List.of(md, html, run.out())) {
        assertThat(report)
            .contains("not captured (bench)", "server-side time per query")
            .contains("not captured (explain)", "track_io_timing")
            .contains("connection", "direct (");
      }
      assertThat(junit).contains("name=\"critpath.not captured (bench)\"");
    }
  }

  @Test
  void preloadedButNotReadableForOtherRolesIsStated(@TempDir Path dir) {
    try (ManagedServer server = ManagedServer.start(true)) {
      String url = CliRun.dbUrl(server.owner());
      assertThat(CliRun.of("migrate", "--db-url", url).exitCode()).isZero();
      CliRun doctor = CliRun.of("doctor", "--db-url", url);
      assertThat(doctor.out())
          .as(doctor.err())
          .contains("statistics visibility", "sees only its own statements")
          .contains("GRANT pg_read_all_stats TO " + ManagedServer.OWNER);
      CliRun seed = CliRun.of("seed", "--profile", "tiny", "--db-url", url);
      assertThat(seed.exitCode()).as(seed.out() + seed.err()).isZero();
      CliRun bench =
          CliRun.of(
              "bench",
              "--db-url",
              url,
              "--only",
              "message_fetch",
              "--threads",
              "2",
              "--jmh",
              "-f 0 -wi 0 -i 1 -r 200ms",
              "--results",
              dir.toString());
      assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
      // its own statements are readable: server time is measured, not left out
      assertThat(bench.out()).doesNotContain("server-side times are left out");
    }
  }

  /**
   * Through a transaction pooler a per-session LOAD 'auto_explain' would stay on one shared
   * backend: explain does not try, and says why and what to connect to instead.
   */
  @Test
  void explainThroughATransactionPoolerDoesNotLoadAutoExplainPerSession() {
    PgBouncer.assumeInstalled();
    try (ManagedServer server = ManagedServer.start(false);
        PgBouncer bouncer = PgBouncer.start(server.owner(), "transaction", 2, Map.of())) {
      String url = CliRun.dbUrl(bouncer.front(server.owner()));
      assertThat(CliRun.of("migrate", "--db-url", url).exitCode()).isZero();
      CliRun explain = CliRun.of("explain", "--db-url", url, "--only", "send_message", "--no-save");
      assertThat(explain.err()).doesNotContain("unexpected error");
      assertThat(explain.out())
          .contains("plans inside functions: not captured")
          .contains("LOAD 'auto_explain' is per session, and the pooler runs in transaction mode")
          .contains("session pooler port (5432 on Supabase) or directly");
    }
  }
}

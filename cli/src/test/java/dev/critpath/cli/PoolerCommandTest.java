package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.io.Json;
import dev.critpath.testkit.PgBouncer;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every database command through a real PgBouncer, in transaction and in session mode, as a user
 * pointing critpath at Supabase's pooler would run them: one empty database per mode, taken from
 * migrate to seed, doctor, explain, bench and inspect.
 */
class PoolerCommandTest {
  private static final String JMH_SHORT = "-f 0 -wi 0 -i 1 -r 200ms";
  private static ConnectionSpec server;
  private static PgBouncer transaction;
  private static PgBouncer session;

  @BeforeAll
  static void start() {
    PgBouncer.assumeInstalled();
    server = TestDatabases.embedded().spec();
    transaction = PgBouncer.start(server, "transaction", 4, Map.of());
    session = PgBouncer.start(server, "session", 8, Map.of());
  }

  @AfterAll
  static void stop() {
    if (transaction != null) {
      transaction.close();
    }
    if (session != null) {
      session.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"transaction", "session"})
  void everyDatabaseCommandWorksThroughPgBouncer(String mode, @TempDir Path dir) throws Exception {
    PgBouncer bouncer = mode.equals("transaction") ? transaction : session;
    String name = TestDatabases.uniqueName("pooler_" + mode);
    ConnectionSpec direct = TestDatabases.createDatabase(server, name);
    try {
      String url = CliRun.dbUrl(bouncer.front(direct));
      Path results = dir.resolve("results");

      CliRun migrate = CliRun.of("migrate", "--db-url", url);
      assertThat(migrate.exitCode()).as(migrate.out() + migrate.err()).isZero();

      CliRun seed =
          CliRun.of("seed", "--profile", "tiny", "--seed", "7", "--db-url", url, "--jobs", "2");
      assertThat(seed.exitCode()).as(seed.out() + seed.err()).isZero();

      CliRun doctor = CliRun.of("doctor", "--db-url", url);
      assertThat(doctor.exitCode()).as(doctor.out() + doctor.err()).isIn(0, 1);

      CliRun explain =
          CliRun.of(
              "explain",
              "--db-url",
              url,
              "--only",
              "message_fetch,send_message,voucher_redeem",
              "--results",
              results.toString());
      assertThat(explain.exitCode()).as(explain.out() + explain.err()).isIn(0, 1);
      assertThat(explain.err()).doesNotContain("unexpected error");
      if (mode.equals("transaction")) {
        // the embedded server preloads auto_explain, so nothing is lost even here
        assertThat(explain.out() + explain.err()).doesNotContain("LOAD 'auto_explain' is per");
      }

      CliRun bench =
          CliRun.of(
              "bench",
              "--db-url",
              url,
              "--only",
              "message_fetch,conversation_list,send_message",
              "--threads",
              "2",
              "--jmh",
              JMH_SHORT,
              "--results",
              results.toString());
      // a target may be missed on a loaded machine (exit 1); every path must be measured
      assertThat(bench.exitCode()).as(bench.out() + bench.err()).isIn(0, 1);
      // send_message is measured rolled back, and committed where its rows can be put back: not
      // through a transaction pooler, whose backends keep no temporary table between transactions
      int measured = mode.equals("transaction") ? 3 : 4;
      assertThat(bench.out())
          .contains("(" + measured + " measured, 0 failed")
          .doesNotContain("already exists");
      String runJson = Files.readString(results.resolve("latest/run.json"));
      assertThat(runJson).contains("\"measured\" : " + measured);

      CliRun inspect = CliRun.of("inspect", "--db-url", url, "--no-save");
      assertThat(inspect.exitCode()).as(inspect.out() + inspect.err()).isIn(0, 1);
      assertThat(inspect.err()).doesNotContain("unexpected error");

      // LISTEN holds a backend per subscriber: a session pool must have room for them
      CliRun realtime =
          CliRun.of(
              "realtime",
              "--db-url",
              url,
              "--level",
              "listen",
              "--subscribers",
              "2",
              "--duration",
              "2",
              "--drain",
              "1",
              "--results",
              results.toString());
      if (mode.equals("transaction")) {
        assertThat(realtime.exitCode()).as(realtime.out() + realtime.err()).isEqualTo(2);
        assertThat(realtime.err())
            .contains("LISTEN", "transaction mode", "session pooler (port 5432 on Supabase");
        assertThat(realtime.errLines()).as(realtime.err()).isEqualTo(1);
      } else {
        assertThat(realtime.exitCode()).as(realtime.out() + realtime.err()).isIn(0, 1);
        assertThat(realtime.out()).contains("critpath: realtime ");
      }
      String all = migrate.out() + seed.out() + explain.out() + bench.out() + inspect.out();
      assertThat(all + realtime.err()).doesNotContain(direct.password());
      // nothing critpath did stays on a backend the pool hands the application next
      assertThat(bouncer.sessionOfEveryBackend(direct))
          .containsOnly(PgBouncer.freshSession(direct));
    } finally {
      TestDatabases.dropDatabase(server, name);
    }
  }

  /**
   * The default suite through transaction mode: every stage but realtime runs (the RLS and
   * invariants stages included), realtime is skipped with its gap stated, and the reports say what
   * was between critpath and the server.
   */
  @Test
  void theDefaultSuiteRunsThroughTransactionModeAndStatesWhatItSkipped(@TempDir Path dir)
      throws Exception {
    String name = TestDatabases.uniqueName("pooler_suite");
    ConnectionSpec direct = TestDatabases.createDatabase(server, name);
    try {
      Path results = dir.resolve("results");
      CliRun run =
          CliRun.of(
              "--dataset",
              "tiny",
              "--smoke",
              "--results",
              results.toString(),
              "--db-url",
              CliRun.dbUrl(transaction.front(direct)));
      assertThat(run.exitCode()).as(run.out() + run.err()).isIn(0, 1);
      Path runDir = results.resolve("latest").toRealPath();
      JsonNode sections =
          Json.mapper().readTree(runDir.resolve("run.json").toFile()).path("sections");
      assertThat(sections.has("stageErrors"))
          .as("no stage broke: %s", sections.path("stageErrors"))
          .isFalse();
      for (String stage : List.of("explain", "bench", "http", "invariants", "rls", "inspect")) {
        assertThat(sections.has(stage)).as("section " + stage).isTrue();
      }
      assertThat(sections.at("/rls/failed").asInt()).isZero();
      assertThat(sections.at("/environment/pooler/mode").asText()).isEqualTo("transaction");
      List<String> lost = new ArrayList<>();
      sections.path("notCaptured").forEach(n -> lost.add(n.path("stage").asText()));
      assertThat(lost).contains("all", "realtime");
      assertThat(run.out()).contains("skipped: LISTEN and the relay need a session");
      String md = Files.readString(runDir.resolve("report.md"));
      assertThat(md).contains("transaction (two open connections ran on the same backend");
      assertThat(Files.readString(runDir.resolve("junit.xml")))
          .contains("name=\"critpath.connection\" value=\"transaction (");
      // every stage, the Edge Functions' connections included, left the shared backends clean
      assertThat(transaction.sessionOfEveryBackend(direct))
          .containsOnly(PgBouncer.freshSession(direct));
    } finally {
      TestDatabases.dropDatabase(server, name);
    }
  }
}

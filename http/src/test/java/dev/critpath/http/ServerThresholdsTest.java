package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.db.Database;
import dev.critpath.http.scenario.ScenarioParser;
import dev.critpath.run.ThresholdCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 001's server criteria as thresholds, judged on what the sampler saw while the local
 * functions served a real load from the embedded server.
 */
class ServerThresholdsTest {
  private static Database db;
  @TempDir Path dir;

  @BeforeAll
  static void database() throws Exception {
    db = LocalFunctions.fixtureDatabase("server_thresholds");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static String file(String name, String thresholds) {
    return file(name, 2, thresholds);
  }

  /** A file of {@code vus} users listing conversations, with {@code thresholds}. */
  static String file(String name, int vus, String thresholds) {
    return String.join(
        "\n",
        "name: " + name,
        "data:",
        "  members: {sql: 'SELECT profile_id AS user_id FROM conversation_participants'}",
        "requests:",
        "  list:",
        "    method: GET",
        "    path: /functions/v1/conversation-list?limit=20",
        "    user: ${members.user_id}",
        "    checks: [{status: 200}]",
        "scenarios:",
        "  load: {executor: constant-vus, vus: " + vus + ", duration: 3s, exec: list}",
        "thresholds:",
        thresholds,
        "");
  }

  @Test
  void serverThresholdsPassAndFailOnTheSamplesOfTheServerAndTheFunctionsPool() throws Exception {
    Path held = dir.resolve("held.yaml");
    Files.writeString(
        held,
        file(
            "held",
            String.join(
                "\n",
                "  db_cpu: ['max<=100']",
                "  db_connections: ['max<500']",
                "  pool_waiting: ['count==0']",
                "  http_req_failed: ['rate<0.01']")));
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken,
        file(
            "broken",
            // 16 users at once on a function whose pool holds 4 connections (DB_POOL_MAX)
            16,
            String.join(
                "\n",
                "  db_connections: ['max<1']",
                "  db_commits: ['count<1']",
                "  pool_waiting: ['count==0']")));
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(held.toString(), broken.toString());
    options.env = Map.of();
    options.logDir = dir;
    StringWriter out = new StringWriter();
    HttpResult r = HttpStage.run(options, db, new PrintWriter(out));
    System.out.println(out);

    FileResult ok = r.files().get(0);
    assertThat(ok.verdict()).isEqualTo(HttpResult.PASS);
    ThresholdCheck cpu = threshold(ok, "db_cpu");
    assertThat(cpu.passed()).isTrue();
    assertThat(cpu.observed()).isGreaterThan(0.0);
    ThresholdCheck connections = threshold(ok, "db_connections");
    assertThat(connections.passed()).isTrue();
    // the functions' own pool holds connections while they serve the load
    assertThat(connections.observed()).isGreaterThanOrEqualTo(1.0);
    // two users never need more than the function's four pooled connections
    ThresholdCheck pool = threshold(ok, "pool_waiting");
    assertThat(pool.passed()).isTrue();
    assertThat(pool.observed()).isZero();

    FileResult failed = r.files().get(1);
    assertThat(failed.verdict()).isEqualTo(HttpResult.FAIL);
    assertThat(threshold(failed, "db_connections").passed()).isFalse();
    ThresholdCheck commits = threshold(failed, "db_commits");
    assertThat(commits.passed()).isFalse();
    assertThat(commits.observed()).isGreaterThanOrEqualTo(1.0);
    ThresholdCheck exhausted = threshold(failed, "pool_waiting");
    assertThat(exhausted.passed()).as(exhausted.toString()).isFalse();
    assertThat(exhausted.observed()).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void aDeployedProjectsPoolIsNotEvaluatedAndSaysWhy() throws Exception {
    try (TestHttpServer remote = new TestHttpServer()) {
      Path file = dir.resolve("remote.yaml");
      Files.writeString(
          file,
          "requests:\n  ping: {path: /ok, auth: none}\n"
              + "scenarios:\n  s: {executor: shared-iterations, vus: 1, iterations: 3}\n"
              + "thresholds:\n  pool_waiting: ['count==0']\n  db_connections: ['max<500']\n");
      HttpStage.Options options = new HttpStage.Options();
      options.scenarios = List.of(file.toString());
      options.baseUrl = remote.url();
      options.env = Map.of();
      HttpResult r = HttpStage.run(options, db, new PrintWriter(new StringWriter()));
      FileResult f = r.files().get(0);
      assertThat(f.verdict()).isEqualTo(HttpResult.PASS);
      ThresholdCheck pool = threshold(f, "pool_waiting");
      assertThat(pool.passed()).isNull();
      assertThat(pool.note()).startsWith("not evaluated: the http engine holds no database pool");
      // the database itself is still watched through --db-url
      assertThat(threshold(f, "db_connections").passed()).isTrue();
    }
  }

  @Test
  void aServerMetricTakesNoTagFilter() {
    assertThatThrownBy(
            () ->
                new ScenarioParser(Map.of())
                    .parse("t.yaml", "t", file("t", "  db_cpu{scenario:load}: ['max<70']")))
        .hasMessageContaining("db_cpu is sampled on the server for the whole file");
    assertThatThrownBy(
            () ->
                new ScenarioParser(Map.of())
                    .parse("t.yaml", "t", file("t", "  pool_waiting: ['rate<1']")))
        .hasMessageContaining("allows avg, count, max, med, min, p(N)");
  }

  private static ThresholdCheck threshold(FileResult f, String metric) {
    return f.thresholds().stream().filter(t -> t.metric().equals(metric)).findFirst().orElseThrow();
  }
}

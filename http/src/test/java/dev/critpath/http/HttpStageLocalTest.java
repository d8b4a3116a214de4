package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.db.TableChecksums;
import dev.critpath.io.Json;
import dev.critpath.run.ThresholdCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stage as the CLI runs it locally: the toolkit starts the functions server itself, mints
 * tokens, validates, loads, and undoes the scenarios' writes.
 */
class HttpStageLocalTest {
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}");
  private static Database db;
  @TempDir Path dir;

  @BeforeAll
  static void database() throws Exception {
    db = LocalFunctions.fixtureDatabase("http_stage");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private HttpResult run(StringWriter out, Duration idle, String... scenarios) {
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(scenarios);
    options.env = Map.of();
    options.functionIdle = idle;
    options.logDir = dir;
    HttpResult result = HttpStage.run(options, db, new PrintWriter(out));
    System.out.println(out);
    return result;
  }

  private Path compressed(String bundled, Map<String, String> replacements) throws Exception {
    String text = HttpStage.bundledText(bundled);
    for (Map.Entry<String, String> e : replacements.entrySet()) {
      assertThat(text).contains(e.getKey());
      text = text.replace(e.getKey(), e.getValue());
    }
    Path file = dir.resolve(bundled + ".yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void bundledWritingScenariosLeaveTheDataAsTheyFoundIt() throws Exception {
    Map<String, TableChecksums.TableState> before;
    try (Connection c = db.connect()) {
      before = TableChecksums.snapshot(c, List.of("public"));
    }
    Path send = compressed("message-send", Map.of("duration: 20s", "duration: 2s"));
    Path redeem =
        compressed(
            "voucher-redeem",
            Map.of(
                "{duration: 5s, target: 20}",
                "{duration: 1s, target: 20}",
                "{duration: 10s, target: 20}",
                "{duration: 1s, target: 20}"));
    StringWriter out = new StringWriter();
    HttpResult r =
        run(out, LocalFunctionsServer_DEFAULT, send.toString(), redeem.toString(), "rate-limit");

    assertThat(r.target()).isEqualTo("local");
    assertThat(r.files())
        .extracting(FileResult::name)
        .containsExactly("message-send", "voucher-redeem", "rate-limit");
    for (FileResult f : r.files()) {
      assertThat(f.validation().passed()).as(f.name()).isTrue();
      assertThat(f.scenarios()).allMatch(s -> s.requests() > 0);
    }
    ScenarioResult whatsapp = r.files().get(0).scenarios().get(0);
    assertThat(whatsapp.statusCodes()).containsOnlyKeys("200");
    ScenarioResult redeemed = r.files().get(1).scenarios().get(0);
    assertThat(redeemed.checks()).allMatch(c -> c.fails() == 0);
    ScenarioResult abuse = r.files().get(2).scenarios().get(0);
    assertThat(abuse.statusCodes()).containsKeys("404", "429");
    assertThat(r.files().get(2).verdict()).isEqualTo("pass");

    Map<String, TableChecksums.TableState> after;
    try (Connection c = db.connect()) {
      after = TableChecksums.snapshot(c, List.of("public"));
    }
    assertThat(TableChecksums.diff(before, after)).as("tables changed by the scenarios").isEmpty();

    String everything = out + Json.write(r) + Files.readString(dir.resolve("functions.log"));
    assertThat(JWT.matcher(everything).find()).as("a JWT in the output").isFalse();
    assertThat(everything).doesNotContain(LocalFunctions.SECRET);
  }

  @Test
  void coldStartsAreObservedAndReportedApartFromWarmCalls() throws Exception {
    Path phases = dir.resolve("phases.yaml");
    Files.writeString(
        phases,
        String.join(
            "\n",
            "data:",
            "  members: {sql: 'SELECT profile_id AS user_id, conversation_id FROM conversation_participants'}",
            "requests:",
            "  insights:",
            "    path: /functions/v1/conversation-insights",
            "    user: ${members.user_id}",
            "    json: {conversation_ids: [\"${members.conversation_id}\"]}",
            "    checks: [{status: 200}, {json: cache_performance}]",
            "    metrics: {cache_hits: {hits: cache_performance.hits, misses: cache_performance.misses}}",
            "scenarios:",
            "  cold_start: {executor: per-vu-iterations, vus: 1, iterations: 2, exec: insights, startTime: 1500ms, thinkTime: 1500ms, tags: {phase: cold}}",
            "  warm: {executor: constant-vus, vus: 4, duration: 2s, startTime: 5s, exec: insights, tags: {phase: warm}}",
            "thresholds:",
            "  cold_starts{scenario:cold_start}: [count==2]",
            "  cache_hits{scenario:warm}: [rate>0.5]",
            "  http_req_duration{scenario:warm}: [\"p(95)<5000\"]",
            ""));
    StringWriter out = new StringWriter();
    HttpResult r = run(out, Duration.ofMillis(1000), phases.toString());
    FileResult f = r.files().get(0);
    assertThat(f.validation().calls().get(0).coldStart()).isTrue();
    ScenarioResult cold = f.scenarios().get(0);
    assertThat(cold.phase()).isEqualTo("cold");
    assertThat(cold.coldWarm().coldStarts()).isEqualTo(2);
    ScenarioResult warm = f.scenarios().get(1);
    // the function idled out between the phases: only the VUs' first concurrent calls load it
    if (warm.coldWarm() != null) {
      assertThat(warm.coldWarm().coldStarts()).isLessThanOrEqualTo(4);
      assertThat(warm.coldWarm().warm().p50()).isLessThan(warm.coldWarm().cold().p50());
    }
    assertThat(warm.metrics()).containsKey("cache_hits{name:insights}");
    assertThat(f.thresholds()).allMatch(ThresholdCheck::passed);
    assertThat(out.toString()).contains("cold starts 2");
  }

  private static final Duration LocalFunctionsServer_DEFAULT =
      dev.critpath.http.functions.LocalFunctionsServer.DEFAULT_IDLE;
}

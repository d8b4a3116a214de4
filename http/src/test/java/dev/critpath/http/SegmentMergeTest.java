package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.db.Database;
import dev.critpath.http.merge.HttpMerge;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.LatencyTag;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real http runs against the local functions, merged as the two segments of one run: counts add
 * up, percentiles are those of the union of the logged histograms, thresholds are judged on the
 * merged data, and an abortOnFail that each half passed fails on the merged stream.
 */
class SegmentMergeTest {
  private static Database db;
  @TempDir Path dir;

  @BeforeAll
  static void database() throws Exception {
    db = LocalFunctions.fixtureDatabase("http_merge");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private JsonNode run(Path scenario, Path runDir) {
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(scenario.toString());
    options.env = Map.of();
    options.functionIdle = Duration.ofSeconds(30);
    options.logDir = runDir;
    StringWriter out = new StringWriter();
    HttpResult result = HttpStage.run(options, db, new PrintWriter(out));
    System.out.println(out);
    return Json.mapper().valueToTree(result);
  }

  @Test
  void twoRealRunsMergeIntoTheirUnionWithThresholdsJudgedOnTheWhole() throws Exception {
    Path scenario = dir.resolve("insights.yaml");
    Files.writeString(
        scenario,
        String.join(
            "\n",
            "data:",
            "  members: {sql: 'SELECT profile_id AS user_id, conversation_id FROM conversation_participants'}",
            "requests:",
            "  insights:",
            "    path: /functions/v1/conversation-insights",
            "    user: ${members.user_id}",
            "    json: {conversation_ids: [\"${members.conversation_id}\"]}",
            "    checks: [{status: 200}]",
            "    metrics: {cache_hits: {hits: cache_performance.hits, misses: cache_performance.misses}}",
            "scenarios:",
            "  load: {executor: constant-arrival-rate, rate: 15, timeUnit: 1s, duration: 3s, preAllocatedVUs: 4, exec: insights}",
            "thresholds:",
            "  http_req_duration: [\"p(95)<5000\"]",
            "  checks: [rate==1]",
            // each half sends about 45: under 70 alone, over it together
            "  http_reqs: [{threshold: count<70, abortOnFail: true}]",
            ""));
    JsonNode one = run(scenario, dir.resolve("one"));
    JsonNode two = run(scenario, dir.resolve("two"));
    for (JsonNode half : List.of(one, two)) {
      assertThat(half.path("verdict").asText()).isEqualTo("pass");
      assertThat(half.path("latencyLog").asText()).isEqualTo("http.hlog");
    }
    Path mergedLog = dir.resolve("merged.hlog");
    ObjectNode merged;
    try (LatencyLog log = LatencyLog.create(mergedLog, Instant.now())) {
      merged =
          HttpMerge.merge(
              List.of(
                  new HttpMerge.Segment(1, one, dir.resolve("one/http.hlog")),
                  new HttpMerge.Segment(2, two, dir.resolve("two/http.hlog"))),
              log,
              Map.of(),
              null);
    }
    JsonNode load = merged.at("/files/0/scenarios/0");
    long requests =
        one.at("/files/0/scenarios/0/requests").asLong()
            + two.at("/files/0/scenarios/0/requests").asLong();
    assertThat(requests).isGreaterThan(70);
    assertThat(load.path("requests").asLong()).isEqualTo(requests);
    assertThat(load.path("iterations").asLong())
        .isEqualTo(
            one.at("/files/0/scenarios/0/iterations").asLong()
                + two.at("/files/0/scenarios/0/iterations").asLong());
    assertThat(load.at("/statusCodes/200").asLong()).isEqualTo(requests);
    assertThat(load.at("/checks/0/passes").asLong()).isEqualTo(requests);

    // the union, computed apart from the merge: every latency interval of both logs added
    Histogram union = LatencyLog.histogram();
    for (Path log : List.of(dir.resolve("one/http.hlog"), dir.resolve("two/http.hlog"))) {
      LatencyLog.totals(log, "half")
          .forEach(
              (LatencyTag tag, Histogram h) -> {
                if (tag.metric().equals("http_req_duration")) {
                  union.add(h);
                }
              });
    }
    assertThat(union.getTotalCount()).isEqualTo(requests);
    JsonNode expected = Json.mapper().valueToTree(LatencySummary.of(union));
    assertThat(load.path("latency")).isEqualTo(expected);
    Histogram fromMergedLog = LatencyLog.histogram();
    LatencyLog.totals(mergedLog, "merged")
        .forEach(
            (tag, h) -> {
              if (tag.metric().equals("http_req_duration")) {
                fromMergedLog.add(h);
              }
            });
    assertThat(fromMergedLog).isEqualTo(union);

    // a rate over the custom metric's summed tallies, not an average of the halves' rates
    JsonNode t1 = one.at("/files/0/scenarios/0/metricTallies/cache_hits{name:insights}");
    JsonNode t2 = two.at("/files/0/scenarios/0/metricTallies/cache_hits{name:insights}");
    JsonNode tm = load.at("/metricTallies/cache_hits{name:insights}");
    assertThat(tm.get(1).asDouble()).isEqualTo(t1.get(1).asDouble() + t2.get(1).asDouble());

    // per-second rows on wall-clock seconds: their requests add up to the whole
    long fromRows = 0;
    for (JsonNode row : load.path("timeSeries")) {
      fromRows += row.path("requests").asLong();
    }
    assertThat(fromRows).isEqualTo(requests);

    JsonNode thresholds = merged.at("/files/0/thresholds");
    assertThat(thresholds.get(2).path("metric").asText()).isEqualTo("http_reqs");
    assertThat(thresholds.get(2).path("observed").asLong()).isEqualTo(requests);
    assertThat(thresholds.get(2).path("passed").asBoolean()).isFalse();
    assertThat(thresholds.get(0).path("passed").asBoolean()).isTrue();
    assertThat(merged.at("/files/0/aborted").asText())
        .startsWith("http_reqs count<70 failed on the merged stream at ");
    assertThat(merged.path("verdict").asText()).isEqualTo("fail");
  }
}

package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.report.schema.RunSchema;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run.sh merge} on two real {@code realtime --segment i/2} runs (LISTEN/NOTIFY on the
 * embedded server): counts summed, delivery percentiles those of both logs added, targets judged
 * again; and the realtime inputs it must refuse.
 */
class MergeRealtimeTest {
  /** The segments run one after the other here, not together: their start skew is not tested. */
  private static final List<String> SKEW = List.of("--max-skew", "1h");

  private static final LatencyTag DELIVERY =
      LatencyTag.of(Section.REALTIME, "listen", "delivery", Map.of());

  @TempDir static Path dir;
  private static Database db;
  private static Path first;
  private static Path second;

  @BeforeAll
  static void twoSegments() {
    db = TestDatabases.migrated("merge_rt");
    first = segment(1);
    second = segment(2);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static Path segment(int index) {
    return segment("listen", index, "seg-" + index);
  }

  /** A real {@code realtime --segment index/2} run at {@code level}, into {@code dir/name}. */
  private static Path segment(String level, int index, String name, String... more) {
    Path root = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "realtime",
                "--db-url",
                CliRun.dbUrl(db.spec()),
                "--level",
                level,
                "--subscribers",
                "4",
                "--conversations",
                "2",
                "--rate",
                "20",
                "--duration",
                "2",
                "--drain",
                "3",
                "--segment",
                index + "/2",
                "--results",
                root.toString()));
    args.addAll(List.of(more));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.out() + run.err()).isIn(0, 1);
    try {
      return root.resolve("latest").toRealPath();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode scenario(Path runDir) throws Exception {
    return Json.mapper()
        .readTree(runDir.resolve("run.json").toFile())
        .at("/sections/realtime/scenarios/0");
  }

  @Test
  void countsAreSummedAndPercentilesAreThoseOfBothLogsAdded() throws Exception {
    Path out = dir.resolve("merged");
    CliRun run = SegmentDirs.mergeAnySkew(out, first, second);
    Path merged = out.resolve("latest");
    JsonNode root = Json.mapper().readTree(merged.resolve("run.json").toFile());
    JsonNode m = root.at("/sections/realtime/scenarios/0");
    assertThat(run.exitCode())
        .as(run.out() + run.err())
        .isEqualTo(m.path("passed").asBoolean() ? 0 : 1);
    assertThat(RunSchema.validate(merged.resolve("run.json"))).isEmpty();
    assertThat(merged.resolve("report.html")).exists();

    JsonNode a = scenario(first);
    JsonNode b = scenario(second);
    assertThat(a.path("subscribers").asInt()).isEqualTo(2);
    assertThat(m.path("subscribers").asInt()).isEqualTo(4);
    for (String count : new String[] {"sent", "expectedDeliveries", "delivered", "lost"}) {
      assertThat(m.at("/messages/" + count).asLong())
          .as(count)
          .isEqualTo(a.at("/messages/" + count).asLong() + b.at("/messages/" + count).asLong());
    }
    assertThat(m.at("/messages/sent").asLong()).isPositive();

    Histogram union = LatencyLog.histogram();
    union.add(LatencyLog.totals(first.resolve("realtime.hlog"), "a").get(DELIVERY));
    union.add(LatencyLog.totals(second.resolve("realtime.hlog"), "b").get(DELIVERY));
    LatencySummary expected = LatencySummary.of(union);
    assertThat(Json.mapper().treeToValue(m.path("delivery"), LatencySummary.class))
        .isEqualTo(expected);
    assertThat(m.at("/delivery/count").asLong())
        .isEqualTo(a.at("/delivery/count").asLong() + b.at("/delivery/count").asLong());
    assertThat(LatencyLog.totals(merged.resolve("realtime.hlog"), "merged").get(DELIVERY))
        .isEqualTo(union);

    JsonNode p95 = m.path("thresholds").get(0);
    assertThat(p95.path("metric").asText()).isEqualTo("delivery_latency");
    assertThat(p95.path("observed").asDouble()).isEqualTo(expected.p95());
    assertThat(m.path("thresholds").get(1).path("observed").asLong())
        .isEqualTo(m.at("/messages/lost").asLong());
    assertThat(root.at("/merge/notMerged").toString()).doesNotContain("realtime", "server");
    // the server watched by both segments: one stage, its samples merged on the second
    JsonNode server = root.at("/sections/server/stages/0");
    assertThat(server.path("stage").asText()).isEqualTo("realtime");
    assertThat(server.path("server").asText())
        .isEqualTo(
            Json.mapper()
                .readTree(first.resolve("run.json").toFile())
                .at("/sections/server/stages/0/server")
                .asText())
        .startsWith("system identifier ");
    assertThat(server.path("merged").asText()).contains("pool_waiting: the segments' sum");
    assertThat(server.at("/summary/db_connections/max").asDouble()).isPositive();
    assertThat(Files.readString(merged.resolve("report.md"))).contains("db_connections");
  }

  @Test
  void aSegmentThatSampledAnotherServerIsRefused() throws Exception {
    Path other = SegmentDirs.copy(dir, second, "other-server");
    SegmentDirs.edit(
        other,
        r ->
            ((ObjectNode) r.at("/sections/server/stages/0"))
                .put("server", "system identifier 1, database elsewhere"));
    SegmentDirs.refused(
        dir,
        SKEW,
        "segment 2 ("
            + other
            + ") sampled another server (system identifier 1, database elsewhere) than segment 1",
        first,
        other);
  }

  /**
   * The websocket level through the local relay (supabase/realtime), reconnects forced: every count
   * of both segments adds up, and the delivery, setup and reconnect percentiles are those of both
   * logs' histograms added.
   */
  @Test
  void websocketSegmentsThroughTheLocalRelayMergeIntoTheirSum() throws Exception {
    String[] reconnects = {"--reconnects", "2", "--offline", "1"};
    Path a = segment("websocket", 1, "ws-1", reconnects);
    Path b = segment("websocket", 2, "ws-2", reconnects);
    Path out = dir.resolve("merged-ws");
    CliRun run = SegmentDirs.mergeAnySkew(out, a, b);
    Path merged = out.resolve("latest");
    JsonNode m = scenario(merged);
    assertThat(run.exitCode())
        .as(run.out() + run.err())
        .isEqualTo(m.path("passed").asBoolean() ? 0 : 1);
    assertThat(RunSchema.validate(merged.resolve("run.json"))).isEmpty();
    JsonNode one = scenario(a);
    JsonNode two = scenario(b);
    assertThat(m.path("level").asText()).isEqualTo("websocket");
    assertThat(m.path("subscribers").asInt())
        .isEqualTo(4)
        .isEqualTo(one.path("subscribers").asInt() + two.path("subscribers").asInt());
    for (String count : new String[] {"sent", "expectedDeliveries", "delivered", "lost"}) {
      assertThat(m.at("/messages/" + count).asLong())
          .as(count)
          .isEqualTo(one.at("/messages/" + count).asLong() + two.at("/messages/" + count).asLong());
    }
    assertThat(m.at("/messages/delivered").asLong()).isPositive();
    for (String count : new String[] {"forced", "succeeded", "failed"}) {
      assertThat(m.at("/reconnects/" + count).asLong())
          .as(count)
          .isEqualTo(
              one.at("/reconnects/" + count).asLong() + two.at("/reconnects/" + count).asLong());
    }
    assertThat(m.at("/reconnects/forced").asLong()).isEqualTo(2);

    Map<String, String> fields =
        Map.of(
            "delivery", "/delivery",
            "subscription_setup", "/subscriptionSetup",
            "reconnect", "/reconnects/reconnectAndCatchUp");
    for (Map.Entry<String, String> f : fields.entrySet()) {
      LatencyTag tag = LatencyTag.of(Section.REALTIME, "websocket", f.getKey(), Map.of());
      Histogram union = LatencyLog.histogram();
      union.add(LatencyLog.totals(a.resolve("realtime.hlog"), "a").get(tag));
      union.add(LatencyLog.totals(b.resolve("realtime.hlog"), "b").get(tag));
      assertThat(union.getTotalCount()).as(f.getKey()).isPositive();
      assertThat(Json.mapper().treeToValue(m.at(f.getValue()), LatencySummary.class))
          .as(f.getKey())
          .isEqualTo(LatencySummary.of(union));
    }
  }

  @Test
  void aSegmentOfOtherRealtimeSettingsIsRefused() throws Exception {
    Path other = SegmentDirs.copy(dir, second, "other-network");
    SegmentDirs.edit(
        other,
        r -> ((ObjectNode) r.at("/sections/realtime/scenarios/0")).put("event", "broadcast"));
    SegmentDirs.refused(
        dir,
        SKEW,
        "segment 2 (" + other + ") ran other realtime settings than segment 1",
        first,
        other);
  }

  @Test
  void aSegmentWithoutItsRealtimeLogIsRefused() throws Exception {
    Path noLog = SegmentDirs.copy(dir, second, "no-realtime-log");
    Files.delete(noLog.resolve("realtime.hlog"));
    SegmentDirs.refused(
        dir, SKEW, "segment 2 (" + noLog + ") has no latency log (realtime.hlog)", first, noLog);
  }

  @Test
  void aSegmentOfAnotherSectionIsRefused() throws Exception {
    Path other = SegmentDirs.copy(dir, second, "sections");
    SegmentDirs.edit(
        other,
        r -> {
          ((ObjectNode) r.path("sections")).remove("realtime");
          ((ObjectNode) r.path("sections")).putObject("http");
        });
    SegmentDirs.refused(
        dir,
        SKEW,
        "segment 2 (" + other + ") holds the sections [http], segment 1 [realtime]",
        first,
        other);
  }
}

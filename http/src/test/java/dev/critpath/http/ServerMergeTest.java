package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.http.functions.FunctionsLayout;
import dev.critpath.http.merge.HttpMerge;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.Segment;
import dev.critpath.sampler.ServerLoad;
import dev.critpath.sampler.ServerLoadMerge;
import dev.critpath.sampler.ServerMetric;
import dev.critpath.sampler.ServerSample;
import dev.critpath.sampler.ServerSampler;
import dev.critpath.sampler.StageLoad;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two segments of one http run, at once against the embedded server, each with its own local
 * functions (and so its own pools), each watched by its own sampler: their server sections merge
 * into one on the wall-clock second (server-wide metrics the higher, pool_waiting the sum), and the
 * file's server thresholds are judged on the merged samples.
 */
class ServerMergeTest {
  /** Time for both segments to start their functions and validate before the common start. */
  private static final Duration START_LEAD = Duration.ofSeconds(20);

  private static Database db;
  @TempDir static Path dir;

  @BeforeAll
  static void database() throws Exception {
    db = LocalFunctions.fixtureDatabase("server_merge");
    // the Deno binary is installed once, before two segments start it at the same time
    FunctionsLayout.locate(null, Map.of(), new PrintWriter(new StringWriter()));
  }

  @AfterAll
  static void close() {
    db.close();
  }

  /** One segment's run: its http result and its sampler's record, read back as run.json has it. */
  private record Run(JsonNode http, StageLoad server, Path log) {}

  private static Run segment(Path scenario, int index, Instant startAt) {
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(scenario.toString());
    options.env = Map.of();
    options.segment = Segment.parse(index + "/2");
    options.startAt = startAt;
    options.logDir = dir.resolve("seg-" + index);
    StringWriter out = new StringWriter();
    try (ServerSampler sampler = ServerSampler.start("http", db, HttpStage.POOLS)) {
      options.server = sampler;
      HttpResult r = HttpStage.run(options, db, new PrintWriter(out));
      System.out.println(out);
      ServerLoad load = new ServerLoad(List.of(sampler.finish()));
      // through JSON, as merge reads it from the segment's run.json
      ServerLoad read =
          Json.mapper().convertValue(Json.mapper().valueToTree(load), ServerLoad.class);
      return new Run(
          Json.mapper().valueToTree(r), read.stages().get(0), options.logDir.resolve("http.hlog"));
    }
  }

  @Test
  void theSegmentsServerSamplesMergeOnTheSecondAndItsThresholdsAreJudgedOnThem() throws Exception {
    Path scenario = dir.resolve("crowd.yaml");
    Files.writeString(
        scenario,
        // 8 users per segment on a function whose pool holds 4 connections (DB_POOL_MAX)
        ServerThresholdsTest.file(
            "crowd",
            16,
            "  db_cpu: ['max<=100']\n"
                + "  db_connections: [{threshold: 'max<500', abortOnFail: true}]\n"
                + "  pool_waiting: ['count==0']"));
    Instant startAt = Instant.now().plus(START_LEAD);
    CompletableFuture<Run> a = CompletableFuture.supplyAsync(() -> segment(scenario, 1, startAt));
    CompletableFuture<Run> b = CompletableFuture.supplyAsync(() -> segment(scenario, 2, startAt));
    List<Run> runs = List.of(a.get(), b.get());

    StageLoad merged =
        ServerLoadMerge.merge(
                List.of(
                    new ServerLoadMerge.Part(
                        "segment 1", new ServerLoad(List.of(runs.get(0).server()))),
                    new ServerLoadMerge.Part(
                        "segment 2", new ServerLoad(List.of(runs.get(1).server())))))
            .stages()
            .get(0);
    assertThat(merged.server())
        .startsWith("system identifier ")
        .endsWith(", database " + db.spec().database());
    assertThat(merged.merged()).contains("pool_waiting: the segments' sum");

    // each wall-clock second: pool_waiting summed, the server-wide metrics the higher
    Map<Long, List<ServerSample>> bySecond = new HashMap<>();
    for (Run r : runs) {
      for (ServerSample s : r.server().samples()) {
        bySecond.computeIfAbsent(epochSecond(r.server(), s), k -> new ArrayList<>()).add(s);
      }
    }
    int both = 0;
    for (ServerSample m : merged.samples()) {
      long second = epochSecond(merged, m) - 1; // a merged sample is stamped at its second's end
      List<ServerSample> seen = bySecond.get(second);
      assertThat(seen).as("second %d", second).isNotNull();
      if (seen.size() == 2) { // one sample of each segment (not two of one, by timer jitter)
        both++;
        assertThat(m.value(ServerMetric.POOL_WAITING))
            .isEqualTo(sum(seen, ServerMetric.POOL_WAITING));
        assertThat(m.value(ServerMetric.DB_CONNECTIONS))
            .isEqualTo(max(seen, ServerMetric.DB_CONNECTIONS));
      }
    }
    assertThat(both).as("seconds both segments sampled").isGreaterThanOrEqualTo(4);
    double segmentMost =
        runs.stream()
            .mapToDouble(r -> r.server().summary().get("pool_waiting").max())
            .max()
            .orElseThrow();
    assertThat(merged.summary().get("pool_waiting").max())
        .isGreaterThanOrEqualTo(segmentMost)
        .isPositive();

    ObjectNode http = mergeHttp(runs, "merged.hlog", merged);
    JsonNode thresholds = http.at("/files/0/thresholds");
    // judged on the merged samples of the load, not on the samplers' whole windows (which also
    // hold each segment's function start): the highest CPU a second of the 3 s load saw, give or
    // take the sample the load's last response lands in. At 100 Hz ticks a saturated server can
    // read a little over 100%, so the verdict follows the observation, not a guess.
    JsonNode cpu = threshold(thresholds, "db_cpu");
    Instant loadStart = Instant.parse(http.at("/files/0/startedAt").asText());
    double observed = cpu.path("observed").asDouble();
    assertThat(observed)
        .as(cpu.toString())
        .isGreaterThanOrEqualTo(cpuMost(merged, loadStart, loadStart.plusSeconds(3)))
        .isIn(cpuValues(merged, loadStart, loadStart.plusSeconds(5)))
        .isPositive();
    assertThat(cpu.path("passed").asBoolean()).as(cpu.toString()).isEqualTo(observed <= 100);
    assertThat(threshold(thresholds, "db_connections").path("passed").asBoolean()).isTrue();
    JsonNode pool = threshold(thresholds, "pool_waiting");
    assertThat(pool.path("passed").isBoolean()).as(pool.toString()).isTrue();
    assertThat(pool.path("passed").asBoolean()).as(pool.toString()).isFalse();
    assertThat(pool.path("observed").asDouble()).isGreaterThanOrEqualTo(1.0);
    assertThat(http.at("/files/0/verdict").asText()).isEqualTo(HttpResult.FAIL);
    assertThat(http.at("/files/0/aborted").isMissingNode()).as(http.toString()).isTrue();

    // abortOnFail on a server metric is judged on the merged samples as the replay goes, as a
    // live run judges its own: the same segments, their merged series doctored to show 600
    // connections from its third second on
    List<ServerSample> crowded = new ArrayList<>();
    for (ServerSample m : merged.samples()) {
      Map<String, Double> metrics = new HashMap<>(m.metrics());
      if (crowded.size() >= 2) {
        metrics.put(ServerMetric.DB_CONNECTIONS.key(), 600.0);
      }
      crowded.add(new ServerSample(m.t(), m.nanos(), m.connections(), metrics));
    }
    StageLoad busy =
        new StageLoad(
            merged.stage(),
            merged.server(),
            merged.startedAt(),
            merged.seconds(),
            merged.intervalMs(),
            merged.cpu(),
            merged.samplerCost(),
            merged.summary(),
            crowded,
            merged.notCaptured(),
            merged.notVisible(),
            merged.merged());
    ObjectNode aborted = mergeHttp(runs, "aborted.hlog", busy);
    assertThat(aborted.at("/files/0/aborted").asText())
        .startsWith("db_connections max<500 failed on the merged stream at ")
        .contains("(observed 600.0)");
    assertThat(aborted.at("/files/0/verdict").asText()).isEqualTo(HttpResult.FAIL);

    StageLoad elsewhere =
        new StageLoad(
            "http",
            "system identifier 1, database elsewhere",
            runs.get(1).server().startedAt(),
            1,
            1000,
            "not visible: test",
            null,
            Map.of(),
            List.of(),
            null,
            null,
            null);
    assertThatThrownBy(
            () ->
                ServerLoadMerge.merge(
                    List.of(
                        new ServerLoadMerge.Part("segment 1", new ServerLoad(List.of(merged))),
                        new ServerLoadMerge.Part(
                            "segment 2 (/runs/b)", new ServerLoad(List.of(elsewhere))))))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith(
            "segment 2 (/runs/b) sampled another server (system identifier 1, database elsewhere)"
                + " than segment 1");
  }

  /** The two segments' http sections merged, their thresholds judged on {@code server}. */
  private static ObjectNode mergeHttp(List<Run> runs, String logName, StageLoad server) {
    try (LatencyLog log = LatencyLog.create(dir.resolve(logName), Instant.now())) {
      return HttpMerge.merge(
          List.of(
              new HttpMerge.Segment(1, runs.get(0).http(), runs.get(0).log()),
              new HttpMerge.Segment(2, runs.get(1).http(), runs.get(1).log())),
          log,
          Map.of(),
          server);
    }
  }

  /** The db_cpu values of the merged samples taken after {@code from}, up to {@code to}. */
  private static List<Double> cpuValues(StageLoad merged, Instant from, Instant to) {
    return merged.between(from, to).stream()
        .map(s -> s.value(ServerMetric.DB_CPU))
        .filter(v -> v != null)
        .toList();
  }

  private static double cpuMost(StageLoad merged, Instant from, Instant to) {
    return cpuValues(merged, from, to).stream()
        .mapToDouble(Double::doubleValue)
        .max()
        .orElseThrow();
  }

  private static long epochSecond(StageLoad stage, ServerSample s) {
    return Math.floorDiv(stage.startedAt().toEpochMilli() + Math.round(s.t() * 1000), 1000);
  }

  /** The sum of the samples that carry {@code m}; null when none does. */
  private static Double sum(List<ServerSample> samples, ServerMetric m) {
    List<Double> v = samples.stream().map(s -> s.value(m)).filter(x -> x != null).toList();
    return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).sum();
  }

  private static Double max(List<ServerSample> samples, ServerMetric m) {
    List<Double> v = samples.stream().map(s -> s.value(m)).filter(x -> x != null).toList();
    return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  private static JsonNode threshold(JsonNode thresholds, String metric) {
    for (JsonNode t : thresholds) {
      if (metric.equals(t.path("metric").asText())) {
        return t;
      }
    }
    throw new AssertionError("no threshold on " + metric + " in " + thresholds);
  }
}

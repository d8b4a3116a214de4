package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.report.schema.RunSchema;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run.sh merge} on two real {@code bench --segment i/2} runs of one path (in-process JMH,
 * one short iteration, levels 2 and 4 threads split 1+1 and 2+2): samples added, percentiles those
 * of both logs added, throughput summed, the catalog target judged again; and the bench inputs it
 * must refuse.
 */
class MergeBenchTest {
  /** The segments run one after the other here, not together: their start skew is not tested. */
  private static final List<String> SKEW = List.of("--max-skew", "1h");

  private static final String PATH = "numbers:rls_on";

  @TempDir static Path dir;
  private static Database db;
  private static Path first;
  private static Path second;

  @BeforeAll
  static void twoSegments() throws Exception {
    db = TestDatabases.migrated("merge_bench");
    Path queries = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        queries.resolve("numbers.sql"),
        "-- name: numbers\n-- param: n = int(1, 20)\n-- target: p99 < 5s\n"
            + "SELECT g FROM generate_series(1, :n) g\n");
    first = segment(queries, 1);
    second = segment(queries, 2);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static Path segment(Path queries, int index) throws Exception {
    Path root = dir.resolve("seg-" + index);
    CliRun run =
        CliRun.of(
            "bench",
            "--db-url",
            CliRun.dbUrl(db.spec()),
            "--queries",
            queries.toString(),
            "--variants",
            "rls_on",
            "--threads",
            "2,4",
            "--jmh",
            "-f 0 -wi 0 -i 1 -r 100ms",
            "--segment",
            index + "/2",
            "--results",
            root.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return root.resolve("latest").toRealPath();
  }

  private static JsonNode variant(Path runDir) throws Exception {
    return Json.mapper()
        .readTree(runDir.resolve("run.json").toFile())
        .at("/sections/bench/queries/0/variants/0");
  }

  private static Histogram logged(Path runDir, int threads) {
    return LatencyLog.totals(runDir.resolve("bench.hlog"), runDir.toString())
        .get(
            LatencyTag.of(
                Section.BENCH, PATH, "sample", Map.of("threads", Integer.toString(threads))));
  }

  @Test
  void samplesAddUpAndPercentilesAreThoseOfBothLogsAdded() throws Exception {
    Path out = dir.resolve("merged");
    CliRun run = SegmentDirs.mergeAnySkew(out, first, second);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Path merged = out.resolve("latest");
    assertThat(RunSchema.validate(merged.resolve("run.json"))).isEmpty();
    assertThat(merged.resolve("report.html")).exists();
    JsonNode root = Json.mapper().readTree(merged.resolve("run.json").toFile());
    assertThat(root.at("/sections/bench/settings/threads").toString()).isEqualTo("[2,4]");
    assertThat(root.at("/merge/notMerged").toString()).doesNotContain("bench");

    JsonNode a = variant(first);
    JsonNode b = variant(second);
    JsonNode m = variant(merged);
    long samples = a.at("/latency/samples").asLong() + b.at("/latency/samples").asLong();
    assertThat(m.at("/latency/samples").asLong()).isEqualTo(samples).isPositive();
    Histogram union = LatencyLog.histogram();
    union.add(logged(first, 1));
    union.add(logged(second, 1));
    assertThat(union.getTotalCount()).isEqualTo(samples);
    assertThat(m.at("/latency/p95").asDouble())
        .isEqualTo(Math.round(union.getValueAtPercentile(95) / 1000.0 * 10_000) / 10_000.0);
    assertThat(m.at("/latency/p99").asDouble())
        .isEqualTo(Math.round(union.getValueAtPercentile(99) / 1000.0 * 10_000) / 10_000.0);
    assertThat(m.at("/latency/max").asDouble())
        .isEqualTo(Math.round(union.getMaxValue() / 1000.0 * 10_000) / 10_000.0);
    assertThat(logged(merged, 2)).isEqualTo(union);

    JsonNode four = m.at("/concurrency/1");
    assertThat(four.path("threads").asInt()).isEqualTo(4);
    assertThat(four.path("opsPerSec").asDouble())
        .isCloseTo(
            a.at("/concurrency/1/opsPerSec").asDouble()
                + b.at("/concurrency/1/opsPerSec").asDouble(),
            org.assertj.core.api.Assertions.within(0.001));
    Histogram atTwo = LatencyLog.histogram();
    atTwo.add(logged(first, 2));
    atTwo.add(logged(second, 2));
    assertThat(four.at("/latency/samples").asLong()).isEqualTo(atTwo.getTotalCount());
    assertThat(logged(merged, 4)).isEqualTo(atTwo);

    JsonNode target = root.at("/sections/bench/queries/0/targets/0");
    assertThat(target.path("observed").asDouble()).isEqualTo(m.at("/latency/p99").asDouble());
    assertThat(target.path("passed").asBoolean()).isTrue();
    assertThat(root.at("/sections/bench/serverStats").asText())
        .startsWith("unavailable: not merged");
  }

  @Test
  void aSegmentOfAnotherCatalogIsRefused() throws Exception {
    Path other = SegmentDirs.copy(dir, second, "other-catalog");
    SegmentDirs.edit(
        other, r -> ((ObjectNode) r.at("/sections/bench/queries/0")).put("sql", "SELECT 1"));
    SegmentDirs.refused(
        dir,
        SKEW,
        "segment 2 (" + other + ") ran another query catalog than segment 1",
        first,
        other);
  }

  @Test
  void aSegmentOfOtherThreadLevelsIsRefused() throws Exception {
    Path other = SegmentDirs.copy(dir, second, "other-levels");
    SegmentDirs.edit(
        other, r -> ((ArrayNode) r.at("/sections/bench/settings/threads")).removeAll().add(1));
    SegmentDirs.refused(
        dir, SKEW, "segment 2 (" + other + ") ran 1 thread levels, segment 1 2", first, other);
  }

  @Test
  void aSegmentWithoutItsBenchLogIsRefused() throws Exception {
    Path noLog = SegmentDirs.copy(dir, second, "no-bench-log");
    Files.delete(noLog.resolve("bench.hlog"));
    SegmentDirs.refused(
        dir, SKEW, "segment 2 (" + noLog + ") has no latency log (bench.hlog)", first, noLog);
  }
}

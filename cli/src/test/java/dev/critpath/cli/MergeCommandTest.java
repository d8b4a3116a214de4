package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import dev.critpath.report.schema.RunSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run.sh merge} on two real http runs (against a real local HTTP server) marked as the
 * halves of one run, and every input it must refuse: exit 2, one line naming the segment, no run
 * directory written.
 */
class MergeCommandTest {
  @TempDir static Path dir;
  private static OkServer server;
  private static Path first;
  private static Path second;

  @BeforeAll
  static void twoRuns() throws Exception {
    server = new OkServer();
    Path scenario = dir.resolve("good.yaml");
    Files.writeString(
        scenario,
        "requests:\n  call: {path: /functions/v1/good, auth: none, checks: [{json: ok, equals:"
            + " true}]}\n"
            + "scenarios:\n  a: {executor: constant-arrival-rate, rate: 20, timeUnit: 1s,"
            + " duration: 2s, preAllocatedVUs: 2}\n"
            + "thresholds:\n  checks: [rate==1]\n  http_reqs: [count>0]\n");
    first = httpRun(scenario, 1);
    second = httpRun(scenario, 2);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A real run, then marked as segment {@code index} of 2 (as --segment would write it). */
  private static Path httpRun(Path scenario, int index) throws Exception {
    Path root = dir.resolve("runs-" + index);
    CliRun run =
        CliRun.of(
            "http", "--base-url", server.url(), "--results", root.toString(), scenario.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Path runDir = root.resolve("latest").toRealPath();
    edit(runDir, r -> r.putObject("segment").put("index", index).put("count", 2));
    return runDir;
  }

  private static void edit(Path runDir, Consumer<ObjectNode> change) throws Exception {
    SegmentDirs.edit(runDir, change);
  }

  private static Path copy(Path runDir, String name) throws Exception {
    return SegmentDirs.copy(dir, runDir, name);
  }

  @Test
  void twoSegmentsMergeIntoOneRunWithReportsAndSummedCounts() throws Exception {
    Path out = dir.resolve("merged");
    CliRun run =
        CliRun.of("merge", "--results", out.toString(), second.toString(), first.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("merge: 2 segments, pass");
    Path merged = out.resolve("latest");
    assertThat(merged.resolve("report.html")).exists();
    assertThat(merged.resolve("junit.xml")).exists();
    assertThat(merged.resolve("http.hlog")).exists();
    assertThat(RunSchema.validate(merged.resolve("run.json"))).isEmpty();
    JsonNode m = Json.mapper().readTree(merged.resolve("run.json").toFile());
    long a = requests(first);
    long b = requests(second);
    assertThat(m.at("/sections/http/files/0/scenarios/0/requests").asLong()).isEqualTo(a + b);
    assertThat(m.at("/sections/http/files/0/thresholds/1/observed").asLong()).isEqualTo(a + b);
    assertThat(m.at("/merge/count").asInt()).isEqualTo(2);
    assertThat(m.at("/merge/segments/0/index").asInt()).isEqualTo(1);
  }

  private static long requests(Path runDir) throws Exception {
    return Json.mapper()
        .readTree(runDir.resolve("run.json").toFile())
        .at("/sections/http/files/0/scenarios/0/requests")
        .asLong();
  }

  private static void refused(String expected, Path... runs) {
    SegmentDirs.refused(dir, expected, runs);
  }

  @Test
  void aRunThatIsNotASegmentIsRefused() throws Exception {
    Path plain = copy(second, "plain");
    edit(plain, r -> r.remove("segment"));
    refused(
        "is not a segment run (run.json has no \"segment\"): run each part with --segment",
        first,
        plain);
  }

  @Test
  void segmentsOfDifferentCountsAreRefused() throws Exception {
    Path ofThree = copy(second, "of-three");
    edit(ofThree, r -> ((ObjectNode) r.get("segment")).put("count", 3));
    refused("segment 2 (" + ofThree + ") is one of 3 segments, segment 1 one of 2", first, ofThree);
  }

  @Test
  void aDuplicatedSegmentIsRefused() throws Exception {
    Path twin = copy(first, "twin");
    refused("segment 1 given twice", first, twin);
  }

  @Test
  void aMissingSegmentIsRefused() throws Exception {
    Path third = copy(second, "third-of-three");
    edit(third, r -> ((ObjectNode) r.get("segment")).put("index", 3).put("count", 3));
    Path firstOfThree = copy(first, "first-of-three");
    edit(firstOfThree, r -> ((ObjectNode) r.get("segment")).put("count", 3));
    refused("segment 2 of 3 is missing: pass all 3 segment run directories", firstOfThree, third);
  }

  @Test
  void segmentsOfDifferentScenarioFilesAreRefused() throws Exception {
    Path other = copy(second, "other-file");
    edit(
        other,
        r -> ((ObjectNode) r.at("/sections/http/files/0")).put("sha256", "0123456789abcdef"));
    refused("segment 2 (" + other + ") ran other scenario files than segment 1", first, other);
  }

  @Test
  void clocksTooFarApartAreRefused() throws Exception {
    Path late = copy(second, "late");
    JsonNode firstRun = Json.mapper().readTree(first.resolve("run.json").toFile());
    Instant start = Instant.parse(firstRun.at("/sections/http/files/0/startedAt").asText());
    edit(
        late,
        r ->
            ((ObjectNode) r.at("/sections/http/files/0"))
                .put("startedAt", start.plusSeconds(95).toString()));
    refused(
        "segment 2 ("
            + late
            + ") started its load 95 s after segment 1 (more than 30 s,"
            + " --max-skew)",
        first,
        late);
  }

  @Test
  void aSegmentWithoutItsLatencyLogIsRefused() throws Exception {
    Path noLog = copy(second, "no-log");
    Files.delete(noLog.resolve("http.hlog"));
    refused("segment 2 (" + noLog + ") has no latency log (http.hlog)", first, noLog);
  }

  @Test
  void aCorruptLatencyLogLeavesNoRunDirectory() throws Exception {
    Path corrupt = copy(second, "corrupt");
    Files.writeString(
        corrupt.resolve("http.hlog"), "Tag=http/good:a/http_req_duration,0.0,1.0,1.0,@@@\n");
    refused("segment 2: cannot read the latency log", first, corrupt);
  }
}

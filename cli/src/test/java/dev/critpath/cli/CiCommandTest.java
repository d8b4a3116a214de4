package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.report.schema.RunSchema;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run.sh ci} on the tiny dataset with short JMH settings, twice: before and after the
 * index message_fetch uses is dropped. One run directory holds plans, counters and JMH; compare
 * names the index from the two directories as they are, and refuses runs of different datasets.
 */
class CiCommandTest {
  /** Short JMH settings: in this JVM, 5 iterations of 50 ms, enough replicates to rank. */
  private static final String SHORT_JMH = "-f 0 -wi 1 -w 50ms -i 5 -r 50ms";

  private static final String INDEX = "messages_conversation_created_idx";

  @TempDir static Path dir;
  static Database db;
  static Path before;
  static Path after;
  static CliRun first;

  @BeforeAll
  static void twoRuns() throws Exception {
    db = TestDatabases.migrated("ci_cmd");
    first = ci("before");
    before = dir.resolve("before").resolve("latest").toRealPath();
    TestDatabases.exec(db.spec(), "DROP INDEX " + INDEX);
    ci("after");
    after = dir.resolve("after").resolve("latest").toRealPath();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static CliRun ci(String name) {
    CliRun run =
        CliRun.of(
            "ci",
            "--db-url",
            CliRun.dbUrl(db.spec()),
            "--dataset",
            "tiny",
            "--only",
            "message_fetch,unread_count",
            "--jmh",
            SHORT_JMH,
            "--results",
            dir.resolve(name).toString());
    // targets tuned for larger data may miss on a busy machine (exit 1); nothing may break (2)
    assertThat(run.exitCode()).as(run.out() + run.err()).isIn(0, 1);
    return run;
  }

  @Test
  void oneRunDirectoryHoldsPlansCountersAndReplicates() throws Exception {
    JsonNode sections =
        Json.mapper().readTree(before.resolve("run.json").toFile()).path("sections");
    assertThat(sections.has("stageErrors")).as(sections.path("stageErrors").toString()).isFalse();
    assertThat(sections.has("http")).isFalse(); // the gate runs only what compare reads
    List<String> explained = new ArrayList<>();
    sections.at("/explain/queries").forEach(q -> explained.add(q.path("name").asText()));
    assertThat(explained).containsExactlyInAnyOrder("message_fetch", "unread_count");
    assertThat(Files.exists(before.resolve("explain"))).isTrue();
    for (JsonNode q : sections.at("/bench/queries")) {
      JsonNode variant = q.path("variants").get(0);
      assertThat(variant.path("variant").asText()).isEqualTo("rls_on");
      assertThat(variant.at("/server/calls").asLong()).as(q.path("name").asText()).isPositive();
      assertThat(variant.at("/server/sharedBlksHitPerCall").isNumber()).isTrue();
    }
    assertThat(sections.at("/environment/schema/checksum").asText()).hasSize(16);
    JsonNode jmh = Json.mapper().readTree(before.resolve("jmh.json").toFile());
    // the replicates compare ranks: one per iteration
    assertThat(jmh.get(0).at("/primaryMetric/rawDataHistogram/0")).hasSize(5);
    assertThat(RunSchema.validate(before.resolve("run.json"))).isEmpty();
    assertThat(first.out()).contains("== explain").contains("== bench").doesNotContain("== http");
  }

  @Test
  void compareNamesTheDroppedIndexFromTwoCiRuns() throws Exception {
    Path out = Files.createDirectories(dir.resolve("compare"));
    CliRun run = CliRun.of("compare", before.toString(), after.toString(), "--out", out.toString());

    JsonNode fetch = null;
    for (JsonNode q :
        Json.mapper().readTree(out.resolve("compare.json").toFile()).path("queries")) {
      if (q.path("name").asText().equals("message_fetch")) {
        fetch = q;
      }
    }
    assertThat(fetch).as(run.out()).isNotNull();
    // tiny data: the timing may not prove it, the counters always show it
    assertThat(fetch.path("status").asText()).isIn("REGRESSED", "CHANGED");
    List<String> causes = new ArrayList<>();
    fetch.path("causes").forEach(c -> causes.add(c.asText()));
    assertThat(causes)
        .anySatisfy(c -> assertThat(c).startsWith("the plan changed"))
        .anySatisfy(c -> assertThat(c).startsWith("index " + INDEX + " is gone"));
    assertThat(Files.readString(out.resolve("compare.md"))).contains("index " + INDEX + " is gone");
  }

  @Test
  void compareRefusesRunsOfDifferentDatasetsWithOneLine() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other-data"));
    ObjectNode runJson = (ObjectNode) Json.mapper().readTree(after.resolve("run.json").toFile());
    ((ObjectNode) runJson.at("/sections/dataset")).put("fingerprint", "0000000000000000");
    Json.writeFile(other.resolve("run.json"), runJson);
    Files.copy(after.resolve("jmh.json"), other.resolve("jmh.json"));
    Path out = Files.createDirectories(dir.resolve("refused"));

    CliRun run = CliRun.of("compare", before.toString(), other.toString(), "--out", out.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.critpathErrLines()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("critpath: the runs measured different datasets (baseline tiny/")
        .contains("--allow-different dataset");
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }
}

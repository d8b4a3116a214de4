package dev.critpath.report.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import dev.critpath.report.testing.SyntheticRun;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.RunRecord;
import dev.critpath.run.Section;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RunSchemaTest {
  static final Path RUNS = Path.of("src/test/resources/runs");

  /** Every run.json under src/test/resources/runs: fixtures and copies of real runs. */
  static Stream<Path> runFiles() throws Exception {
    try (Stream<Path> files = Files.walk(RUNS)) {
      return files
          .filter(p -> p.getFileName().toString().equals("run.json"))
          .sorted()
          .toList()
          .stream();
    }
  }

  /**
   * The schema describes sections by the names producers and the reader share; the two the safety
   * stages add (invariants, dataIntegrity) are not described yet, and the schema lets them pass.
   */
  @Test
  void theSchemaNamesItsSectionsLikeTheSectionEnum() throws Exception {
    JsonNode described =
        Json.mapper().readTree(RunSchema.text()).at("/properties/sections/properties");
    java.util.List<String> keys = new java.util.ArrayList<>();
    described.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(Section.values())
                .filter(s -> s != Section.INVARIANTS && s != Section.DATA_INTEGRITY)
                .map(Section::key)
                .toList());
  }

  @ParameterizedTest
  @MethodSource("runFiles")
  void everyKnownRunIsValid(Path runJson) {
    assertThat(RunSchema.validate(runJson)).isEmpty();
  }

  @Test
  void aFreshRunDirectoryIsValidWhileRunningAndWhenFinished(@TempDir Path root) {
    RunDirectory run = RunDirectory.create(root);
    assertThat(RunSchema.validate(run.path().resolve("run.json"))).isEmpty();
    run.put(Section.STAGE_ERRORS, java.util.List.of(Map.of("stage", "bench", "message", "boom")));
    run.record().finish(Instant.now(), true, "error");
    run.save();
    assertThat(RunSchema.validate(run.path().resolve("run.json"))).isEmpty();
  }

  @Test
  void syntheticRunsAreValid(@TempDir Path dir) throws Exception {
    SyntheticRun run = SyntheticRun.named("s1");
    run.query("message_fetch").median(1).counters(50, 50).plan("plan_index.json");
    run.write(dir, new Random(1));
    assertThat(RunSchema.validate(dir.resolve("run.json"))).isEmpty();
  }

  @Test
  void violationsNameThePathAndTheProblem() throws Exception {
    ObjectNode run = (ObjectNode) Json.mapper().readTree(RUNS.resolve("full/run.json").toFile());
    run.put("schemaVersion", RunRecord.SCHEMA_VERSION + 1);
    run.put("completed", "yes");
    JsonNode query = run.at("/sections/bench/queries/0");
    ((ObjectNode) query).put("name", "message fetch; drop table");
    ((ObjectNode) run.at("/sections/http")).put("baseUrl", "https://user:hunter2@example.com");

    assertThat(RunSchema.validate(run))
        .anySatisfy(m -> assertThat(m).startsWith("/schemaVersion: "))
        .anySatisfy(m -> assertThat(m).startsWith("/completed: "))
        .anySatisfy(m -> assertThat(m).startsWith("/sections/bench/queries/0/name: "))
        .anySatisfy(m -> assertThat(m).startsWith("/sections/http/baseUrl: "));
  }

  @Test
  void connectionErrorsAreChecked() throws Exception {
    ObjectNode run =
        (ObjectNode)
            Json.mapper().readTree(RUNS.resolve("real-bench-connection-errors/run.json").toFile());
    ((ObjectNode) run.at("/sections/bench")).put("connectionErrors", -1);
    ObjectNode lost = (ObjectNode) run.at("/sections/bench/queries/2/variants/0/connectionErrors");
    lost.put("count", 0);
    lost.put("first", "lost postgresql://app:hunter2@db:5432/x");

    assertThat(RunSchema.validate(run))
        .anySatisfy(m -> assertThat(m).startsWith("/sections/bench/connectionErrors: "))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("/sections/bench/queries/2/variants/0/connectionErrors/count: "))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("/sections/bench/queries/2/variants/0/connectionErrors/first: "));
  }

  @Test
  void rlsAndRealtimeSectionsAreChecked() throws Exception {
    ObjectNode rls =
        (ObjectNode) Json.mapper().readTree(RUNS.resolve("real-rls/run.json").toFile());
    ((ObjectNode) rls.at("/sections/rls/queries/0")).put("status", "ok");
    ((ObjectNode) rls.at("/sections/rls/queries/1/probes/0"))
        .put("evidence", "leaked as eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln");
    ObjectNode realtime =
        (ObjectNode) Json.mapper().readTree(RUNS.resolve("real-realtime/run.json").toFile());
    ((ObjectNode) realtime.at("/sections/realtime/scenarios/0")).put("level", "sse");
    ((ObjectNode) realtime.at("/sections/realtime/scenarios/1/delivery")).put("p95", -1);

    assertThat(RunSchema.validate(rls))
        .anySatisfy(m -> assertThat(m).startsWith("/sections/rls/queries/0/status: "))
        .anySatisfy(m -> assertThat(m).startsWith("/sections/rls/queries/1/probes/0/evidence: "));
    assertThat(RunSchema.validate(realtime))
        .anySatisfy(m -> assertThat(m).startsWith("/sections/realtime/scenarios/0/level: "))
        .anySatisfy(m -> assertThat(m).startsWith("/sections/realtime/scenarios/1/delivery/p95: "));
  }
}

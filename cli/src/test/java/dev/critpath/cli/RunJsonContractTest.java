package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.realtime.RealtimeSettings;
import dev.critpath.report.schema.RunSchema;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import dev.critpath.schema.InDatabaseRun;
import dev.critpath.seed.Profile;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * run.json's contract, producer by producer: each runs for real (the tiny dataset, the shortest
 * settings) into a run directory of its own, and what it wrote must be a section run.schema.json
 * describes and must validate against it, the schema the report reads by.
 */
class RunJsonContractTest {
  private static JsonNode sectionsSchema;

  @TempDir static Path results;
  private static Database db;
  private static DatabaseOptions options;
  private static SuiteSettings settings;
  private static RunDirectory seeded;

  @BeforeAll
  static void seed() throws Exception {
    sectionsSchema = Json.mapper().readTree(RunSchema.text()).path("properties").path("sections");
    db = TestDatabases.migrated("cli_contract");
    options = new DatabaseOptions();
    options.dbUrl = CliRun.dbUrl(db.spec());
    SuiteSettings smoke = SuiteSettings.smoke(Profile.TINY);
    settings =
        new SuiteSettings(
            smoke.dataset(),
            smoke.bench(),
            smoke.httpTimeScale(),
            smoke.realtime().withLevel(RealtimeSettings.Level.LISTEN));
    seeded = run("seed"); // the dataset section; every later producer measures this data
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void dataset() throws IOException {
    assertValid(seeded, Section.DATASET);
  }

  /** The default suite's stages that write a section, each after the stages it needs. */
  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "environment, ENVIRONMENT",
    "doctor, DOCTOR",
    "stats baseline|inspect, INSPECT",
    "realtime, REALTIME",
    "invariants, INVARIANTS",
    "rls, RLS",
    "snapshot|data unchanged, DATA_INTEGRITY"
  })
  void suiteStage(String stages, Section section) throws Exception {
    assertValid(run(stages.split("\\|")), section);
  }

  @Test
  void explain(@TempDir Path out) throws Exception {
    // one reference query: its hot, cold and generic plans, rule findings and expectations
    assertValid(cli(out, "explain", "--only", "message_fetch"), Section.EXPLAIN);
  }

  @Test
  void bench(@TempDir Path out) throws Exception {
    // one reference path, every variant, its catalog target: the suite's smoke JMH settings
    assertValid(
        cli(
            out,
            "bench",
            "--only",
            "message_fetch",
            "--threads",
            "1",
            "--jmh",
            SuiteSettings.SMOKE_JMH),
        Section.BENCH);
  }

  @Test
  void inDatabase() throws Exception {
    RunDirectory run = RunDirectory.create(results);
    // the in-database stage's producer at one call a query (the stage makes ten)
    run.put(Section.IN_DATABASE, InDatabaseRun.run(db, 1));
    assertValid(run, Section.IN_DATABASE);
  }

  @Test
  void http(@TempDir Path dir) throws Exception {
    try (OkServer server = new OkServer()) {
      Path scenario = dir.resolve("good.yaml");
      Files.writeString(
          scenario,
          "requests:\n  call: {path: /functions/v1/good, auth: none,"
              + " checks: [{json: ok, equals: true}]}\n"
              + "scenarios:\n  a: {executor: shared-iterations, vus: 2, iterations: 20}\n"
              + "thresholds:\n  checks: [rate==1]\n"
              + "  http_req_duration: [\"p(95)<5000\", med<5000]\n  http_reqs: [count>0]\n");
      Path runJson =
          cli(dir.resolve("results"), "http", "--base-url", server.url(), scenario.toString());
      assertValid(runJson, Section.HTTP);
    }
  }

  /** A command on the seeded database (http: on its base URL), exit 0; its run.json. */
  private static Path cli(Path out, String command, String... args) {
    List<String> argv = new ArrayList<>(List.of(command, "--results", out.toString()));
    if (!command.equals("http")) {
      argv.addAll(List.of("--db-url", options.dbUrl));
    }
    argv.addAll(List.of(args));
    CliRun run = CliRun.of(argv.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return out.resolve("latest").resolve(RunDirectory.RUN_JSON);
  }

  /** The named stages of the default suite, in order, on the seeded database, in a fresh run. */
  private static RunDirectory run(String... stageNames) throws Exception {
    RunDirectory run = RunDirectory.create(results);
    StringWriter console = new StringWriter();
    StageContext ctx = new StageContext(db, run, new PrintWriter(console, true));
    List<Stage> stages = new DefaultSuite(options, settings, new ResultsOptions()).stages();
    for (String name : stageNames) {
      Stage stage = stages.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
      stage.run(ctx);
    }
    return run;
  }

  private static void assertValid(RunDirectory run, Section section) throws IOException {
    run.record().finish(Instant.now(), true, "pass");
    run.save();
    assertValid(run.path().resolve(RunDirectory.RUN_JSON), section);
  }

  private static void assertValid(Path runJson, Section section) throws IOException {
    assertThat(sectionsSchema.path("properties").has(section.key()))
        .as("run.schema.json describes the " + section.key() + " section")
        .isTrue();
    JsonNode root = Json.mapper().readTree(runJson.toFile());
    assertThat(root.path("sections").has(section.key()))
        .as(section.key() + " written to " + runJson)
        .isTrue();
    assertThat(RunSchema.validate(root)).as(section.key()).isEmpty();
  }
}

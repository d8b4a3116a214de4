package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./run.sh explain and ./run.sh inspect as a user runs them. */
class ExplainInspectCommandTest {
  private static Database db;
  private static String url;

  @BeforeAll
  static void setUp() {
    db = TestDatabases.migrated("cli_explain");
    TestDatabases.exec(
        db.spec(),
        "INSERT INTO businesses (id, name) VALUES (gen_random_uuid(), 'one');"
            + "CREATE INDEX messages_conv_dup_idx ON messages (conversation_id, created_at DESC)");
    url = CliRun.dbUrl(db.spec());
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void inspectPrintsTheRulesAndWritesRunJson(@TempDir Path results) throws IOException {
    CliRun run = CliRun.of("inspect", "--db-url", url, "--results", results.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("duplicate-index", "messages_conv_dup_idx", "fix: DROP INDEX CONCURRENTLY")
        .contains("indexes: ");
    assertThat(Files.readString(runJson(results))).contains("\"inspect\"", "duplicate-index");
    assertThat(run.out() + run.err()).doesNotContain(db.spec().password());
  }

  @Test
  void inspectFailOnWarnTurnsFindingsIntoExitOne() {
    CliRun run = CliRun.of("inspect", "--db-url", url, "--no-save", "--fail-on", "warn");
    assertThat(run.exitCode()).isEqualTo(1);
    CliRun bad = CliRun.of("inspect", "--db-url", url, "--no-save", "--fail-on", "loud");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown --fail-on value 'loud'");
  }

  @Test
  void explainChecksExpectationsAndSavesRawPlans(@TempDir Path dir) throws IOException {
    Path queries = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        queries.resolve("business_count.sql"),
        "-- name: business_count\n-- expect: rows = 1\n-- expect: execution < 5s\n"
            + "SELECT count(*) FROM businesses;\n");
    Path results = dir.resolve("results");
    CliRun ok =
        CliRun.of(
            "explain",
            "--db-url",
            url,
            "--queries",
            queries.toString(),
            "--results",
            results.toString());
    assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("business_count", "expectations: 2 passed, 0 failed");
    Path runDir = runJson(results).getParent();
    assertThat(runDir.resolve("explain/business_count.json")).exists();

    Files.writeString(
        queries.resolve("business_count.sql"),
        "-- name: business_count\n-- expect: uses index businesses_pkey\n"
            + "SELECT count(*) FROM businesses;\n");
    CliRun failed =
        CliRun.of("explain", "--db-url", url, "--queries", queries.toString(), "--no-save");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.out())
        .contains("FAIL", "does not use businesses_pkey", "Seq Scan on businesses");
  }

  @Test
  void explainOnAnUnseededDatabaseSaysSoAndExitsTwo() {
    CliRun run = CliRun.of("explain", "--db-url", url, "--no-save", "--only", "message_fetch");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).contains("message_fetch", "ERROR", "is the dataset seeded?");
  }

  @Test
  void explainUnknownQueryIsAUsageError() {
    CliRun run = CliRun.of("explain", "--db-url", url, "--only", "nosuch");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown query 'nosuch'").contains("message_fetch");
    assertThat(run.errLines()).isEqualTo(1);
  }

  private static Path runJson(Path results) throws IOException {
    try (Stream<Path> files = Files.walk(results)) {
      return files
          .filter(p -> p.getFileName().toString().equals("run.json"))
          .filter(p -> !p.toString().contains("latest"))
          .findFirst()
          .orElseThrow();
    }
  }
}

package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("migrate", "doctor", "Exit codes", "2   usage, configuration");
  }

  /**
   * Every command's --help renders cleanly: picocli reads descriptions as format strings, and a
   * bare "25% slowdown" once printed four "[picocli WARN] Could not format" lines above ci's usage.
   */
  @Test
  void everyCommandsHelpPrintsItsUsageAndNothingElse() {
    for (String command : new CommandLine(new CritpathCommand()).getSubcommands().keySet()) {
      CliRun run = CliRun.of(command, "--help");
      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out()).as(command).startsWith("Usage: critpath " + command);
      assertThat(run.err()).as(command + " --help wrote to stderr").isEmpty();
    }
    // the escaped percent sign renders as one
    assertThat(CliRun.of("ci", "--help").out()).contains("25% slowdown").doesNotContain("%%");
  }

  /**
   * The highest V&lt;n&gt;__ of the reference schema (the module runs with its own folder as cwd).
   */
  private static int latestBuiltInVersion() {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("..", "schema"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.matches("V\\d+__.*\\.sql"))
          .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
          .max()
          .orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void migrateTwiceThenDoctorPasses() {
    try (Database db = TestDatabases.empty("cli_migrate")) {
      String url = CliRun.dbUrl(db.spec());
      CliRun first = CliRun.of("migrate", "--db-url", url);
      CliRun second = CliRun.of("migrate", "--db-url", url);
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out())
          .contains("schema version " + latestBuiltInVersion())
          .contains("critpath.run_performance_tests() installed for");
      assertThat(second.out()).contains("(0 migrations applied)");
      CliRun doctor = CliRun.of("doctor", "--db-url", url);
      assertThat(doctor.exitCode()).as(doctor.out()).isZero();
      assertThat(doctor.out()).contains("0 failed");
      assertThat(first.out() + second.out() + doctor.out() + first.err())
          .doesNotContain(db.spec().password());
    }
  }

  @Test
  void theRunnerScriptMigrateWritesInstallsTheRunnerWhenPastedAsOneScript(@TempDir Path dir)
      throws Exception {
    Path script = dir.resolve("run_performance_tests.sql");
    try (Database db = TestDatabases.empty("cli_runner_sql")) {
      String url = CliRun.dbUrl(db.spec());
      CliRun migrate = CliRun.of("migrate", "--db-url", url, "--runner-sql", script.toString());
      assertThat(migrate.exitCode()).as(migrate.err()).isZero();
      assertThat(migrate.out()).contains("wrote the in-database runner to " + script);
      String sql = Files.readString(script);
      assertThat(sql).startsWith("-- critpath.run_performance_tests()");
      // what a SQL editor does: drop what migrate installed, then run the pasted script
      TestDatabases.exec(
          db.spec(), "DROP FUNCTION critpath.run_performance_tests(integer, text[]); " + sql);
      TestDatabases.exec(
          db.spec(), "SELECT * FROM critpath.run_performance_tests(1, ARRAY['unread_count'])");
    }
    CliRun wrong = CliRun.of("migrate", "--schema", dir.toString(), "--runner-sql", "x.sql");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err())
        .contains("--runner-sql needs a catalog: with --schema, name your queries");
  }
}

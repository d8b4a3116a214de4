package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  static Database db;
  static String url;

  @BeforeAll
  static void database() {
    db = TestDatabases.migrated("bench_cli");
    ConnectionSpec s = db.spec();
    url =
        "postgresql://"
            + s.user()
            + ":"
            + s.password()
            + "@"
            + s.host()
            + ":"
            + s.port()
            + "/"
            + s.database();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  /**
   * {@code bench} on a catalog of one query, {@code name} with {@code body} after its name line,
   * one short JMH iteration, results in {@code dir/results}.
   */
  private static CliRun briefly(Path dir, String name, String body, String... options)
      throws IOException {
    Path queries = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(queries.resolve(name + ".sql"), "-- name: " + name + "\n" + body);
    List<String> args =
        new ArrayList<>(List.of("bench", "--db-url", url, "--queries", queries.toString()));
    args.addAll(List.of(options));
    args.addAll(
        List.of(
            "--jmh", "-f 0 -wi 0 -i 1 -r 100ms", "--results", dir.resolve("results").toString()));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void measuresACatalogAndWritesTheRunDirectory(@TempDir Path dir) throws Exception {
    CliRun run =
        briefly(
            dir,
            "numbers",
            "-- param: n = int(1, 20)\n-- target: p99 < 5s\n"
                + "SELECT g FROM generate_series(1, :n) g\n",
            "--threads",
            "1,2");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("numbers", "bench: pass").doesNotContain(db.spec().password());
    Path latest = dir.resolve("results/latest");
    assertThat(latest.resolve("jmh.json")).exists();
    assertThat(Files.readString(latest.resolve("run.json")))
        .contains("\"bench\"", "\"numbers\"", "\"verdict\" : \"pass\"");
  }

  @Test
  void badInputExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
    CliRun unknown =
        CliRun.of("bench", "--db-url", url, "--only", "nope", "--results", dir.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown query 'nope' in --only", "message_fetch");

    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliRun none =
        CliRun.of(
            "bench", "--db-url", url, "--queries", empty.toString(), "--results", dir.toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("is empty");

    CliRun profile = CliRun.of("bench", "--profile", "slow");
    assertThat(profile.exitCode()).isEqualTo(2);
    assertThat(profile.err()).contains("unknown --profile 'slow'");
  }

  /** A segment ready after its --start-at (a pod scheduled late) runs at once and says so. */
  @Test
  void aStartTimeAlreadyPastRunsAtOnceAndSaysSo(@TempDir Path dir) throws Exception {
    String past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
    CliRun run =
        briefly(dir, "one", "SELECT 1\n", "--threads", "2", "--segment", "2/2", "--start-at", past);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    String said = "bench: warning: --start-at " + past + " had passed when the load was ready, ";
    assertThat(run.out().lines().filter(l -> l.startsWith(said)).toList())
        .singleElement()
        .asString()
        .endsWith(" ms late: started at once");
    assertThat(run.out()).contains("results in");
  }
}

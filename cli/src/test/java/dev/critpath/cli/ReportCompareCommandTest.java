package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.report.schema.RunSchema;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} and {@code compare} on real runs: two bench runs of a tiny catalog, the second
 * doing a thousand times the work, measured by JMH on the test server.
 */
class ReportCompareCommandTest {
  @TempDir static Path dir;
  static Database db;
  static Path small;
  static Path large;

  @BeforeAll
  static void twoRealRuns() throws Exception {
    db = TestDatabases.migrated("report_cli");
    ConnectionSpec s = db.spec();
    String url =
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
    small = bench(url, "small", 20);
    large = bench(url, "large", 20_000);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static Path bench(String url, String name, int rows) throws Exception {
    Path queries = Files.createDirectories(dir.resolve(name + "-queries"));
    Files.writeString(
        queries.resolve("numbers.sql"),
        "-- name: numbers\n-- param: n = int("
            + rows
            + ", "
            + (rows + 1)
            + ")\n-- target: p99 < 5s\nSELECT g FROM generate_series(1, :n) g\n");
    Path results = dir.resolve(name + "-results");
    CliRun run =
        CliRun.of(
            "bench",
            "--db-url",
            url,
            "--queries",
            queries.toString(),
            "--threads",
            "1",
            "--jmh",
            "-f 0 -wi 1 -w 100ms -i 8 -r 100ms",
            "--results",
            results.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return results.resolve("latest").toRealPath();
  }

  @Test
  void realRunsFollowTheSchema() {
    assertThat(RunSchema.validate(small.resolve("run.json"))).isEmpty();
    assertThat(RunSchema.validate(large.resolve("run.json"))).isEmpty();
  }

  @Test
  void reportRendersEveryFormatFromRunJsonAlone() throws Exception {
    CliRun run = CliRun.of("report", small.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("numbers", "p99 < 5s", "pass", "report.html");
    assertThat(Files.readString(small.resolve("report.md"))).contains("`numbers`");
    assertThat(Files.readString(small.resolve("junit.xml")))
        .contains("<testcase classname=\"critpath.query.numbers\" name=\"threshold: p99 &lt; 5s\"");
    assertThat(Files.readString(small.resolve("report.html")))
        .contains("data-query=\"numbers\"")
        .doesNotContain("src=\"http", "href=\"http");
  }

  @Test
  void reportWithoutARunSaysWhatToDo(@TempDir Path empty) {
    CliRun run = CliRun.of("report", "--results", empty.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no run at").contains("run ./run.sh");
    assertThat(run.errLines()).isEqualTo(1);
  }

  @Test
  void aRunComparedWithItselfHasNoRegression(@TempDir Path out) {
    CliRun run = CliRun.of("compare", small.toString(), small.toString(), "--out", out.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("no regression", "numbers", "unchanged");
    assertThat(out.resolve("compare.html")).exists();
  }

  @Test
  void aThousandTimesTheWorkIsARegressionWithItsCause(@TempDir Path out) throws Exception {
    CliRun run = CliRun.of("compare", small.toString(), large.toString(), "--out", out.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("1 regression", "numbers", "regressed", "rows per call changed");
    assertThat(Files.readString(out.resolve("compare.json"))).contains("\"REGRESSED\"");
  }

  @Test
  void missingOrMalformedBaselineExitsTwoWithOneLine(@TempDir Path tmp) throws Exception {
    CliRun missing = CliRun.of("compare", tmp.resolve("nope").toString(), small.toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("critpath: baseline run not found: ");
    assertThat(missing.errLines()).isEqualTo(1);

    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(broken.resolve("run.json"), "{\"schemaVersion\": 2,");
    CliRun malformed =
        CliRun.of("compare", broken.toString(), small.toString(), "--out", tmp.toString());
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains("baseline run unusable", "not valid JSON");

    CliRun badThreshold =
        CliRun.of("compare", small.toString(), small.toString(), "--threshold", "ten");
    assertThat(badThreshold.exitCode()).isEqualTo(2);
    assertThat(badThreshold.err()).contains("--threshold takes a percentage");
  }
}

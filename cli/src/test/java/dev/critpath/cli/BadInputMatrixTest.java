package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command's bad inputs, in one table: each must end in one line naming the cause, exit code
 * 2, no stack trace, no secret, and no run directory that claims success.
 */
class BadInputMatrixTest {
  private static final String SECRET = "matrix-secret-pw-7731";

  @TempDir static Path files;

  @BeforeAll
  static void writeBadFiles() throws IOException {
    Files.createDirectories(files.resolve("catalog"));
    Files.writeString(
        files.resolve("catalog/broken.sql"), "-- name: broken\n-- bogusheader: x\nSELECT 1;\n");
    Files.createDirectories(files.resolve("empty-catalog"));
    Files.writeString(files.resolve("unclosed.yaml"), "scenarios:\n  a: [unclosed\n");
    Files.writeString(files.resolve("garbage.json"), "not json at all");
    Files.writeString(files.resolve("empty-pool.json"), "{\"users\":[{\"access_token\":\"\"}]}");
    Files.createDirectories(files.resolve("damaged-run"));
    Files.writeString(files.resolve("damaged-run/run.json"), "{\"schemaVersion\": 1, \"runId\": ");
  }

  static Stream<Arguments> badInputs() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ConnectionSpec embedded = TestDatabases.embedded().spec();
    String server = "127.0.0.1:" + embedded.port();
    String f = files.toString();
    List<Arguments> cases = new ArrayList<>();
    // options and commands
    cases.add(row("unknown option", "Unknown option: '--bogus'", "--bogus"));
    cases.add(row("unknown command", "Unmatched argument", "nosuchcommand"));
    cases.add(
        row(
            "unknown suite dataset",
            "--dataset: unknown seed profile 'bogus'",
            "--dataset",
            "bogus"));
    cases.add(row("bad timeout", "statement-timeout", "migrate", "--statement-timeout", "abc"));
    cases.add(
        row(
            "two databases",
            "not both",
            "doctor",
            "--db",
            "embedded",
            "--db-url",
            "postgresql://a@b/c"));
    cases.add(row("unknown --db", "unknown --db value", "doctor", "--db", "oracle"));
    // URLs and credentials
    cases.add(
        row(
            "url scheme",
            "unknown scheme",
            "migrate",
            "--db-url",
            "mysql://root:" + SECRET + "@h/db"));
    cases.add(row("url port", "port '99999'", "doctor", "--db-url", "postgresql://u@h:99999/db"));
    cases.add(
        row(
            "refused",
            "connection refused",
            "doctor",
            "--db-url",
            "postgresql://u:" + SECRET + "@127.0.0.1:" + closedPort + "/x"));
    cases.add(
        row(
            "unknown host",
            "unknown host",
            "doctor",
            "--db-url",
            "postgresql://u@no-such-host.invalid/x"));
    cases.add(
        row(
            "wrong password",
            "password authentication failed",
            "migrate",
            "--db-url",
            "postgresql://postgres:" + SECRET + "@" + server + "/critpath"));
    cases.add(
        row(
            "missing database",
            "database \"nodb\" does not exist",
            "doctor",
            "--db-url",
            "postgresql://postgres:" + embedded.password() + "@" + server + "/nodb"));
    // profiles and scales
    cases.add(row("seed profile", "unknown seed profile 'huge'", "seed", "--profile", "huge"));
    cases.add(row("seed scale", "--scale must be", "seed", "--scale", "-1"));
    cases.add(row("bench profile", "unknown --profile 'turbo'", "bench", "--profile", "turbo"));
    cases.add(row("bench threads", "--threads", "bench", "--threads", "0"));
    cases.add(
        row("realtime network", "unknown network profile '9g'", "realtime", "--network", "9g"));
    cases.add(row("realtime subscribers", "--subscribers", "realtime", "--subscribers", "-5"));
    // catalog files
    cases.add(
        row("unknown query", "unknown query 'no_such_query'", "bench", "--only", "no_such_query"));
    cases.add(row("no catalog dir", "no such directory", "bench", "--queries", f + "/nope"));
    cases.add(
        row(
            "malformed catalog",
            "broken.sql:2: unknown header 'bogusheader'",
            "bench",
            "--queries",
            f + "/catalog"));
    cases.add(row("explain unknown query", "unknown query 'nope'", "explain", "--only", "nope"));
    cases.add(
        row("explain malformed catalog", "broken.sql:2", "explain", "--queries", f + "/catalog"));
    // scenario and pool files
    cases.add(
        row(
            "unknown scenario",
            "neither a file nor a bundled scenario",
            "http",
            "no-such-scenario"));
    cases.add(row("malformed yaml", "unclosed.yaml:2", "http", f + "/unclosed.yaml"));
    cases.add(
        row(
            "pool not json",
            "is not JSON",
            "http",
            "--jwt-pool",
            f + "/garbage.json",
            "edge-functions"));
    cases.add(
        row(
            "pool without tokens",
            "holds no usable token",
            "http",
            "--jwt-pool",
            f + "/empty-pool.json",
            "edge-functions"));
    // baselines and runs
    cases.add(
        row(
            "missing baseline",
            "baseline run not found",
            "compare",
            f + "/nope",
            f + "/damaged-run"));
    cases.add(
        row(
            "damaged baseline",
            "not valid JSON",
            "compare",
            f + "/damaged-run",
            f + "/damaged-run"));
    cases.add(row("report of nothing", "no run at", "report", f + "/nope"));
    // schema and permissions
    cases.add(
        row(
            "schema dir",
            "is not a directory of migrations",
            "migrate",
            "--schema",
            f + "/nope",
            "--db-url",
            "postgresql://postgres:" + embedded.password() + "@" + server + "/critpath"));
    cases.add(
        row(
            "inspect threshold",
            "unknown --fail-on value 'bogus'",
            "inspect",
            "--fail-on",
            "bogus"));
    return cases.stream();
  }

  private static Arguments row(String name, String expected, String... args) {
    return Arguments.of(name, expected, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void oneLineExitTwoNothingClaimingSuccess(String name, String expected, String[] args)
      throws IOException {
    Path results = Files.createTempDirectory(files, "results-");
    CliRun run = CliRun.of(withResults(args, results));
    assertThat(run.exitCode()).as(name + ": " + run.err()).isEqualTo(2);
    assertThat(run.err()).as(name).contains(expected);
    assertThat(run.errLines()).as(name + ", one line: " + run.err()).isEqualTo(1);
    assertThat(run.err() + run.out()).as(name).doesNotContain(SECRET).doesNotContain("\tat ");
    try (Stream<Path> found = Files.walk(results)) {
      for (Path runJson : found.filter(p -> p.endsWith("run.json")).toList()) {
        JsonNode node = Json.mapper().readTree(runJson.toFile());
        assertThat(
                node.path("completed").asBoolean() && "pass".equals(node.path("verdict").asText()))
            .as(name + " left a run.json claiming success: " + runJson)
            .isFalse();
      }
    }
  }

  /** Adds --results where the command has it, so nothing lands in the working directory. */
  private static String[] withResults(String[] args, Path results) {
    List<String> withResults = new ArrayList<>(List.of(args));
    if (List.of("bench", "http", "explain", "inspect", "realtime").contains(args[0])) {
      withResults.add(1, "--results");
      withResults.add(2, results.toString());
    }
    return withResults.toArray(String[]::new);
  }
}

package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.schema.DatabaseMarker;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
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
    Files.writeString(files.resolve("damaged-run/run.json"), "{\"schemaVersion\": 2, \"runId\": ");
    Files.writeString(files.resolve("a-file"), "not a directory");
    for (BrokenCatalog c : BROKEN_CATALOGS) {
      Files.createDirectories(files.resolve("catalogs/" + c.dir()));
      Files.writeString(files.resolve("catalogs/" + c.dir() + "/q.sql"), c.content());
    }
  }

  /** A catalog file with one mistake, and the words its error must hold. */
  private record BrokenCatalog(String dir, String content, String expected) {}

  private static final List<BrokenCatalog> BROKEN_CATALOGS =
      List.of(
          new BrokenCatalog("missing-colon", "-- name q\nSELECT 1\n", "missing ':' after 'name'"),
          new BrokenCatalog("no-sql", "-- name: q\n", "no SQL statement after the header"),
          new BrokenCatalog("two-statements", "-- name: q\nSELECT 1; SELECT 2\n", "q.sql:"),
          new BrokenCatalog("undeclared-param", "-- name: q\nSELECT :a\n", "unknown parameter :a"),
          new BrokenCatalog(
              "unused-param",
              "-- name: q\n-- param: a = int(1, 2)\nSELECT 1\n",
              "the SQL never uses :a"),
          new BrokenCatalog(
              "bad-role", "-- name: q\n-- role: admin\nSELECT 1\n", "cannot read role 'admin'"),
          new BrokenCatalog(
              "bad-write", "-- name: q\n-- write: maybe\nSELECT 1\n", "write must be"),
          new BrokenCatalog(
              "cleanup-without-write",
              "-- name: q\n-- cleanup: DELETE FROM t\nSELECT 1\n",
              "'cleanup:' needs 'write: cleanup'"),
          new BrokenCatalog(
              "bad-variant", "-- name: q\n-- variants: turbo\nSELECT 1\n", "unknown variant"),
          new BrokenCatalog(
              "bad-sampler",
              "-- name: q\n-- param: a = nonsense(1)\nSELECT :a\n",
              "unknown sampler 'nonsense(...)'"),
          new BrokenCatalog(
              "header-twice",
              "-- name: q\n-- role: owner\n-- role: anon\nSELECT 1\n",
              "given twice"),
          new BrokenCatalog(
              "plain-write",
              "-- name: q\n-- write: rollback\n-- variants: plain\nSELECT 1\n",
              "variant plain runs in autocommit"));

  /** Every command, "" being the default suite (no command word). */
  private static final List<String> COMMANDS =
      List.of(
          "",
          "migrate",
          "seed",
          "doctor",
          "explain",
          "inspect",
          "bench",
          "realtime",
          "http",
          "report",
          "compare",
          "ab");

  /** The commands that open a database. */
  private static final List<String> DATABASE_COMMANDS =
      List.of(
          "", "migrate", "seed", "doctor", "explain", "inspect", "bench", "realtime", "http", "ab");

  /** The commands that write a run directory under --results. */
  private static final List<String> RESULTS_COMMANDS =
      List.of("", "explain", "inspect", "bench", "realtime", "http", "ab");

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
    cases.addAll(everyCommandRows(f, closedPort));
    return cases.stream();
  }

  /** Bad input of every class at every command it applies to. */
  private static List<Arguments> everyCommandRows(String f, int closedPort) {
    List<Arguments> cases = new ArrayList<>();
    String refused = "127.0.0.1:" + closedPort;
    // malformed and unreachable URLs, each holding the password, at every command with a database
    List<String[]> urls =
        List.of(
            new String[] {"unknown scheme", "mysql://root:" + SECRET + "@h/db", "unknown scheme"},
            new String[] {"one slash", "postgresql:/root:" + SECRET + "@h/db", "unknown scheme"},
            new String[] {
              "jdbc of another driver", "jdbc:mysql://h/db?password=" + SECRET, "unknown scheme"
            },
            new String[] {"port range", "postgresql://root:" + SECRET + "@h:99999/db", "99999"},
            new String[] {
              "port not a number", "postgresql://root:" + SECRET + "@h:abc/db", "the port"
            },
            new String[] {
              "lost @", "postgresql://root:" + SECRET + "/db", "the port is not a number"
            },
            new String[] {"ipv6 unclosed", "postgresql://root:" + SECRET + "@[::1/db", "'['"},
            new String[] {
              "several hosts", "postgresql://root:" + SECRET + "@h1,h2/db", "several hosts"
            },
            new String[] {
              "parameter without =", "postgresql://root:" + SECRET + "@h/db?sslmode", "has no '='"
            },
            new String[] {
              "slash and ? in password",
              "postgresql://root:x/y?" + SECRET + "@" + refused + "/db",
              "connection refused"
            });
    for (String command : DATABASE_COMMANDS) {
      for (String[] url : urls) {
        cases.add(
            row(label(command) + " url " + url[0], url[2], args(command, "--db-url", url[1])));
      }
      cases.add(
          row(
              label(command) + " bad --statement-timeout",
              "--statement-timeout",
              args(command, "--statement-timeout", "soon")));
    }
    for (String command : COMMANDS) {
      cases.add(
          row(
              label(command) + " unknown option",
              "Unknown option: '--bogus'",
              command.equals("compare")
                  ? args(command, "--bogus", f + "/damaged-run", f + "/damaged-run")
                  : args(command, "--bogus")));
    }
    // an option without its value
    for (String command : RESULTS_COMMANDS) {
      cases.add(
          row(
              label(command) + " --results without DIR",
              "Missing required parameter",
              args(command, "--results")));
    }
    // --segment: malformed, out of range, or a share left empty, refused before any database
    for (String command : List.of("http", "realtime", "bench")) {
      for (String bad : List.of("5/4", "0/3", "2/0", "two/4", "3")) {
        cases.add(
            row(
                label(command) + " --segment " + bad,
                "--segment " + bad,
                args(command, "--segment", bad)));
      }
    }
    // --start-at: not a UTC time, refused before any database
    for (String command : List.of("http", "realtime", "bench")) {
      cases.add(
          row(
              label(command) + " --start-at tomorrow",
              "--start-at tomorrow: expected a UTC time such as 2026-01-31T12:00:00Z",
              args(command, "--start-at", "tomorrow")));
    }
    cases.add(
        row(
            "realtime more segments than subscribers",
            "leave none for this segment",
            "realtime",
            "--subscribers",
            "2",
            "--segment",
            "3/3"));
    cases.add(
        row(
            "bench more segments than threads",
            "leave no thread for this segment",
            "bench",
            "--threads",
            "1,2",
            "--segment",
            "3/3"));
    for (String command : List.of("migrate", "seed", "doctor")) {
      cases.add(
          row(
              label(command) + " --db-url without URL",
              "Missing required parameter",
              args(command, "--db-url")));
    }
    cases.add(
        row(
            "report --results without DIR",
            "Missing required parameter",
            "report",
            "x",
            "--results"));
    cases.add(
        row(
            "compare --threshold without value",
            "Missing required parameter",
            "compare",
            "a",
            "b",
            "--threshold"));
    // options of the default suite before a command: refused, never silently dropped
    for (String command : COMMANDS.subList(1, COMMANDS.size())) {
      for (String[] option :
          List.of(
              new String[] {"--db-url", "postgresql://u:" + SECRET + "@h/db"},
              new String[] {"--dataset", "tiny"},
              new String[] {"--smoke"},
              new String[] {"--results", f + "/elsewhere"},
              new String[] {"--statement-timeout", "5"})) {
        List<String> a = new ArrayList<>(List.of(option));
        a.add(command);
        if (command.equals("compare")) {
          a.addAll(List.of(f + "/damaged-run", f + "/damaged-run"));
        }
        cases.add(
            row(
                command + " after " + option[0],
                option[0] + " before the command '" + command + "'",
                a.toArray(String[]::new)));
      }
    }
    // output paths that cannot be written: refused before any database is touched
    for (String command : RESULTS_COMMANDS) {
      cases.add(
          row(
              label(command) + " --results under a file",
              "is not a directory",
              args(command, "--results", f + "/a-file/results")));
    }
    cases.add(
        row("seed --out under a file", "is not a directory", "seed", "--out", f + "/a-file/out"));
    // catalog files with one mistake each, for both commands that read catalogs
    for (String command : List.of("bench", "explain")) {
      for (BrokenCatalog c : BROKEN_CATALOGS) {
        cases.add(
            row(
                command + " catalog " + c.dir(),
                c.expected(),
                command,
                "--queries",
                f + "/catalogs/" + c.dir()));
      }
    }
    // values out of range or of the wrong kind, per option
    cases.add(row("seed jobs", "--jobs", "seed", "--jobs", "0"));
    cases.add(row("seed anchor", "--anchor", "seed", "--anchor", "yesterday"));
    cases.add(row("seed scale word", "--scale", "seed", "--scale", "big"));
    cases.add(
        row("bench variants", "unknown --variants value 'turbo'", "bench", "--variants", "turbo"));
    cases.add(row("bench threads range", "--threads: 5000", "bench", "--threads", "5000"));
    cases.add(row("bench threads word", "--threads", "bench", "--threads", "many"));
    cases.add(row("bench seed word", "--seed", "bench", "--seed", "lucky"));
    cases.add(row("explain seed word", "--seed", "explain", "--seed", "lucky"));
    cases.add(
        row(
            "compare threshold",
            "--threshold takes a percentage",
            "compare",
            f + "/damaged-run",
            f + "/damaged-run",
            "--threshold",
            "lots"));
    cases.add(
        row(
            "compare replicates",
            "--replicates takes auto",
            "compare",
            f + "/damaged-run",
            f + "/damaged-run",
            "--replicates",
            "some"));
    cases.add(
        row(
            "compare alpha",
            "--alpha",
            "compare",
            f + "/damaged-run",
            f + "/damaged-run",
            "--alpha",
            "tiny"));
    cases.add(row("compare one run", "Missing required parameter", "compare", f + "/damaged-run"));
    cases.add(row("realtime rate", "--rate", "realtime", "--rate", "fast"));
    cases.add(row("realtime duration", "--duration", "realtime", "--duration", "forever"));
    cases.add(row("realtime level", "--level", "realtime", "--level", "loud"));
    cases.add(row("http network", "network profile", "http", "--network", "9g", "edge-functions"));
    cases.add(
        row(
            "http function idle",
            "--function-idle",
            "http",
            "--function-idle",
            "never",
            "edge-functions"));
    cases.add(row("report damaged", "not valid JSON", "report", f + "/damaged-run"));
    return cases;
  }

  private static String label(String command) {
    return command.isEmpty() ? "suite" : command;
  }

  /** The command word (none for the default suite), then the options. */
  private static String[] args(String command, String... options) {
    List<String> a = new ArrayList<>();
    if (!command.isEmpty()) {
      a.add(command);
    }
    a.addAll(List.of(options));
    return a.toArray(String[]::new);
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
    try (Stream<Path> left = Files.list(results)) {
      assertThat(left.toList()).as(name + ": a usage error writes nothing").isEmpty();
    }
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

  /** Databases the faults run against; closed after the class. */
  private static final List<Database> FAULT_DATABASES = new ArrayList<>();

  @AfterAll
  static void closeDatabases() {
    FAULT_DATABASES.forEach(Database::close);
  }

  private static Database faultDatabase(Database db, String... sql) {
    for (String statement : sql) {
      TestDatabases.exec(db.spec(), statement);
    }
    FAULT_DATABASES.add(db);
    return db;
  }

  /** A fault, the words its message must hold, its exit code, the database it must not damage. */
  static Stream<Arguments> faults() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ConnectionSpec embedded = TestDatabases.embedded().spec();
    String server = "127.0.0.1:" + embedded.port();
    String f = files.toString();
    Database theirs =
        faultDatabase(
            TestDatabases.empty("matrix_theirs"),
            "CREATE TABLE public.orders (id int PRIMARY KEY, total int)",
            "INSERT INTO public.orders SELECT g, g * 10 FROM generate_series(1, 50) g");
    Database foreign =
        faultDatabase(
            TestDatabases.empty("matrix_foreign"),
            "CREATE TABLE public.businesses (their_id int PRIMARY KEY)",
            "INSERT INTO public.businesses SELECT generate_series(1, 50)");
    Database ours =
        faultDatabase(
            TestDatabases.migrated("matrix_ours"),
            "CREATE TABLE public.victims (id int PRIMARY KEY, v int NOT NULL)",
            "INSERT INTO public.victims SELECT g, 0 FROM generate_series(1, 50) g");
    Files.createDirectories(files.resolve("fault-catalogs/writes"));
    Files.writeString(
        files.resolve("fault-catalogs/writes/sneaky.sql"),
        "-- name: sneaky\n-- param: i = int(1, 50)\nUPDATE victims SET v = v + 1 WHERE id = :i\n");
    Files.createDirectories(files.resolve("fault-catalogs/slow"));
    Files.writeString(
        files.resolve("fault-catalogs/slow/slow.sql"), "-- name: slow\nSELECT pg_sleep(3)\n");
    String fast = "-f 0 -wi 0 -i 1 -r 100ms";
    String secretUrl = "postgresql://u:" + SECRET + "@";
    List<Arguments> cases = new ArrayList<>();
    cases.add(
        fault(
            "server refuses connections",
            "connection refused",
            2,
            null,
            "doctor",
            "--db-url",
            secretUrl + "127.0.0.1:" + closedPort + "/x"));
    cases.add(
        fault(
            "host does not resolve",
            "unknown host",
            2,
            null,
            "migrate",
            "--db-url",
            secretUrl + "no-such-host.invalid/x"));
    cases.add(
        fault(
            "password refused",
            "password authentication failed",
            2,
            null,
            "seed",
            "--db-url",
            "postgresql://postgres:" + SECRET + "@" + server + "/critpath"));
    cases.add(
        fault(
            "database missing",
            "does not exist",
            2,
            null,
            "inspect",
            "--db-url",
            "postgresql://postgres:" + embedded.password() + "@" + server + "/gone"));
    cases.add(fault("run.json cut short", "not valid JSON", 2, null, "report", f + "/damaged-run"));
    cases.add(
        fault(
            "baseline cut short",
            "not valid JSON",
            2,
            null,
            "compare",
            f + "/damaged-run",
            f + "/damaged-run"));
    cases.add(
        fault(
            "results path is a file",
            "is not a directory",
            2,
            ours,
            "bench",
            "--results",
            f + "/a-file",
            "--db-url",
            CliRun.dbUrl(ours.spec())));
    cases.add(
        fault(
            "write paths on somebody's database",
            // the URL shown whole, without a password: masking must not eat "//user"
            "refusing to benchmark writes (send_message) on postgresql://postgres@127.0.0.1:",
            2,
            theirs,
            "bench",
            "--only",
            "send_message",
            "--db-url",
            CliRun.dbUrl(theirs.spec())));
    cases.add(
        fault(
            "seed on somebody's database",
            "no critpath marker",
            2,
            theirs,
            "seed",
            "--profile",
            "tiny",
            "--db-url",
            CliRun.dbUrl(theirs.spec())));
    cases.add(
        fault(
            "migration fails half-way on somebody's database",
            "migration failed",
            2,
            foreign,
            "migrate",
            "--allow-unmarked",
            "--db-url",
            CliRun.dbUrl(foreign.spec())));
    cases.add(
        fault(
            "catalog writes without write:",
            "declares no write",
            2,
            ours,
            "bench",
            "--queries",
            f + "/fault-catalogs/writes",
            "--jmh",
            fast,
            "--threads",
            "1",
            "--db-url",
            CliRun.dbUrl(ours.spec())));
    cases.add(
        fault(
            "query exceeds statement_timeout",
            "statement_timeout",
            2,
            ours,
            "bench",
            "--queries",
            f + "/fault-catalogs/slow",
            "--statement-timeout",
            "1",
            "--jmh",
            fast,
            "--db-url",
            CliRun.dbUrl(ours.spec())));
    cases.add(
        fault(
            "explain of a catalog that writes",
            "declares no write",
            2,
            ours,
            "explain",
            "--no-what-if",
            "--queries",
            f + "/fault-catalogs/writes",
            "--db-url",
            CliRun.dbUrl(ours.spec())));
    return cases.stream();
  }

  private static Arguments fault(
      String name, String expected, int exitCode, Database guarded, String... args) {
    return Arguments.of(name, expected, exitCode, guarded, args);
  }

  /**
   * A fault ends in the promised exit code with its cause named, at most one line on stderr, no
   * stack trace, no secret, and the database it ran against has every row as before (and stays
   * unmarked when it was somebody else's).
   */
  @ParameterizedTest(name = "fault: {0}")
  @MethodSource("faults")
  void faultsAreNamedAndDamageNothing(
      String name, String expected, int exitCode, Database guarded, String[] args)
      throws Exception {
    String before = guarded == null ? null : rowsFingerprint(guarded);
    boolean theirs = guarded != null && marker(guarded) != DatabaseMarker.State.MARKED;
    Path results = Files.createTempDirectory(files, "fault-results-");
    CliRun run = CliRun.of(withResults(args, results));
    String all = run.out() + run.err();
    assertThat(run.exitCode()).as(name + ": " + all).isEqualTo(exitCode);
    assertThat(all).as(name).contains(expected);
    assertThat(run.critpathErrLines()).as(name + ": " + run.err()).isLessThanOrEqualTo(1);
    assertThat(all).as(name).doesNotContain(SECRET).doesNotContain("\tat ");
    if (guarded != null) {
      assertThat(rowsFingerprint(guarded)).as(name + ": rows damaged").isEqualTo(before);
      if (theirs) {
        assertThat(marker(guarded))
            .as(name + ": still unmarked")
            .isNotEqualTo(DatabaseMarker.State.MARKED);
      }
    }
  }

  private static DatabaseMarker.State marker(Database db) throws SQLException {
    try (Connection c = db.connect()) {
      return DatabaseMarker.read(c);
    }
  }

  /** Every public table's rows, as one comparable text. */
  private static String rowsFingerprint(Database db) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), ''))"
                    + " FROM public.\""
                    + t
                    + "\" x")) {
          rs.next();
          out.append(t).append(':').append(rs.getLong(1)).append(':').append(rs.getString(2));
          out.append(' ');
        }
      }
    }
    return out.toString();
  }

  /**
   * Adds --results where the command has it (and the row gives none), so nothing lands in the
   * working directory and what a command leaves can be seen.
   */
  private static String[] withResults(String[] args, Path results) {
    List<String> withResults = new ArrayList<>(List.of(args));
    if (List.of(args).contains("--results")) {
      return args;
    }
    boolean suite = List.of(args).stream().noneMatch(a -> !a.isEmpty() && COMMANDS.contains(a));
    if (suite) {
      withResults.add(0, "--results");
      withResults.add(1, results.toString());
    } else if (List.of("bench", "http", "explain", "inspect", "realtime").contains(args[0])) {
      withResults.add(1, "--results");
      withResults.add(2, results.toString());
    }
    return withResults.toArray(String[]::new);
  }
}

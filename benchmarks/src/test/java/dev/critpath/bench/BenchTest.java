package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.catalog.Variant;
import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.io.Json;
import dev.critpath.run.RunDirectory;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench stage end to end on real PostgreSQL, with very short in-process JMH runs. */
class BenchTest {
  /** In this JVM, no warmup, one 100 ms iteration: numbers in seconds, not minutes. */
  static final String FAST = "-f 0 -wi 0 -i 1 -r 100ms";

  static Database db;

  @BeforeAll
  static void seed() {
    db = Fixtures.seeded("bench");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  static BenchSettings fast() {
    return BenchSettings.of(BenchProfile.QUICK).withJmhArgs(FAST).withThreads(List.of(2));
  }

  record Result(Bench.Outcome outcome, String console, RunDirectory run) {}

  static Result bench(Database target, BenchSettings settings, Path results) {
    StringWriter console = new StringWriter();
    RunDirectory run = RunDirectory.create(results);
    Bench.Outcome outcome = Bench.run(target, settings, run, new PrintWriter(console, true));
    System.out.println(console); // kept in the surefire report, for when an assertion fails
    return new Result(outcome, console.toString(), run);
  }

  @Test
  void everyReferencePathProducesNumbersAndWritesLeaveNoRows(@TempDir Path results)
      throws Exception {
    Map<String, Long> before = Fixtures.counts(db);
    long vacuumsBefore = vacuums(db);
    Result r = bench(db, fast(), results);
    assertThat(Fixtures.counts(db)).isEqualTo(before);
    // critpath's own database is vacuumed before each measurement (rolled-back writes leave
    // dead tuples later reads would step over): at least once per mode
    assertThat(vacuums(db) - vacuumsBefore).isGreaterThanOrEqualTo(2);

    BenchReport report = r.outcome().report();
    assertThat(report.failed()).as(r.console()).isZero();
    assertMeasuredExit(r);
    // each write: rollback query as two paths, committed and rolled back
    List<String> names =
        report.queries().stream()
            .map(p -> p.catalogQuery() == null ? p.name() : p.catalogQuery())
            .toList();
    assertThat(names)
        .containsAll(QueryCatalog.builtin().names())
        .contains("conversation_list_jooq");
    for (BenchReport.PathReport p : report.queries()) {
      assertThat(p.status()).as(p.name() + ": " + p.reason()).isEqualTo("ok");
      for (BenchReport.VariantReport v : p.variants()) {
        assertThat(v.latency()).as(p.name() + " " + v.variant()).isNotNull();
        assertThat(v.latency().samples()).isPositive();
        assertThat(v.latency().p50()).isPositive().isLessThanOrEqualTo(v.latency().p99());
        assertThat(v.server()).as(p.name() + " " + v.variant() + " server").isNotNull();
        assertThat(v.server().calls()).isPositive();
      }
      BenchReport.VariantReport main = p.variants().get(0);
      if ("rolledBack".equals(p.commit())) {
        assertThat(p.targets()).as("judged on the committed measurement").isNull();
      } else {
        assertThat(p.targets()).allMatch(t -> t.passed() != null);
      }
      boolean single =
          QueryCatalog.builtin().find(p.name()).map(CatalogQuery::singleCaller).orElse(false);
      if (single || "rolledBack".equals(p.commit())) {
        // concurrency: single (the admin's issuance): latency only, no throughput levels
        assertThat(main.concurrency()).as(p.name()).isNullOrEmpty();
        continue;
      }
      assertThat(main.concurrency()).extracting(BenchReport.Level::threads).containsExactly(2);
      assertThat(main.concurrency().get(0).opsPerSec()).isPositive();
      // percentiles at every level, not only at 1 thread
      assertThat(main.concurrency().get(0).latency().p95()).as(p.name()).isPositive();
    }
    // RLS on and off both ran for reads, and the report shows the difference
    BenchReport.PathReport fetch = path(report, "message_fetch");
    assertThat(fetch.variants())
        .extracting(BenchReport.VariantReport::variant)
        .containsExactly("rls_on", "rls_off", "plain");
    assertThat(fetch.rlsOverhead()).isNotNull();
    assertThat(path(report, "send_message [rolledBack]").writeHandling()).contains("rolled back");
    assertThat(path(report, "send_message [committed]").writeHandling()).contains("committed");
    // the server saw real rows: message_fetch returns the conversation's messages
    assertThat(fetch.variants().get(0).server().rowsPerCall()).isGreaterThan(1);

    // jmh.json is JMH's own array: one entry per measurement, params as JMH writes them
    JsonNode jmh = Json.mapper().readTree(Files.readString(r.run().path().resolve("jmh.json")));
    assertThat(jmh.isArray()).isTrue();
    assertThat(jmh.get(0).get("jmhVersion").asText()).isEqualTo("1.37");
    assertThat(jmh.findValues("query").stream().map(JsonNode::asText))
        .contains("voucher_redeem [committed]", "voucher_redeem [rolledBack]");
    assertThat(jmh.get(0).get("secondaryMetrics").has("pgss.calls")).isTrue();
    JsonNode runJson = Json.mapper().readTree(Files.readString(r.run().path().resolve("run.json")));
    assertThat(runJson.at("/sections/bench/queries/0/variants/0/latency/p99.9").isNumber())
        .isTrue();
    assertThat(r.console()).contains("message_fetch").doesNotContain(db.spec().password());
  }

  /** Manual vacuums of the messages table so far (counters flushed first). */
  static long vacuums(Database target) throws SQLException {
    try (Connection c = target.connect();
        Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_force_next_flush()");
    }
    return TestDatabases.number(
        target,
        "SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname ="
            + " 'messages'");
  }

  /** Every path measured: exit 0, or 1 only for a missed target (timing on a busy machine). */
  static void assertMeasuredExit(Result r) {
    BenchReport report = r.outcome().report();
    assertThat(r.outcome().exitCode())
        .as(r.console())
        .isEqualTo(report.targetsMissed() == 0 ? ExitCode.OK : ExitCode.FAILED);
  }

  static BenchReport.PathReport path(BenchReport report, String name) {
    return report.queries().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aFailingQueryIsNamedWhileTheOthersAreMeasured(@TempDir Path dir) throws Exception {
    Path catalog = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        catalog.resolve("good.sql"),
        "-- name: good\n-- param: n = int(1, 5)\nSELECT g FROM generate_series(1, :n) g\n");
    Files.writeString(catalog.resolve("syntax.sql"), "-- name: syntax\nSELEC 1\n");
    Files.writeString(catalog.resolve("missing.sql"), "-- name: missing\nSELECT * FROM nope\n");
    Files.writeString(catalog.resolve("slow.sql"), "-- name: slow\nSELECT pg_sleep(2)\n");
    try (Database impatient =
        Database.open(new DatabaseTarget.External(db.spec(), "test"), Duration.ofMillis(300))) {
      Result r =
          bench(
              impatient,
              fast().withQuerySources(List.of(catalog.toString())),
              dir.resolve("results"));
      assertThat(r.outcome().exitCode()).isEqualTo(ExitCode.FAILED);
      BenchReport report = r.outcome().report();
      assertThat(path(report, "good").status()).as(r.console()).isEqualTo("ok");
      assertThat(path(report, "good").variants().get(0).latency()).isNotNull();
      assertThat(path(report, "syntax").reason()).contains("syntax error");
      assertThat(path(report, "missing").reason()).contains("\"nope\" does not exist");
      assertThat(path(report, "slow").reason()).contains("statement_timeout (300 ms)");
      assertThat(report.failed()).isEqualTo(3);
      assertThat(r.console()).contains("syntax", "failed:");
    }
  }

  @Test
  void nothingMeasurableIsAnError(@TempDir Path dir) throws Exception {
    Path catalog = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(catalog.resolve("broken.sql"), "-- name: broken\nSELECT * FROM nope\n");
    Result r = bench(db, fast().withQuerySources(List.of(catalog.toString())), dir);
    assertThat(r.outcome().exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(r.outcome().report().verdict()).isEqualTo("error");
  }

  @Test
  void badInputIsAUserError(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> bench(db, fast().withOnly(List.of("nope")), dir))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown query 'nope' in --only")
        .hasMessageContaining("message_fetch");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> bench(db, fast().withQuerySources(List.of(empty.toString())), dir))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("is empty");
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(bad.resolve("q.sql"), "-- name: q\n-- param: a = int(1, 2)\nSELECT :a, :b\n");
    assertThatThrownBy(() -> bench(db, fast().withQuerySources(List.of(bad.toString())), dir))
        .isInstanceOf(UserError.class)
        .hasMessage(
            bad.resolve("q.sql")
                + ":3: unknown parameter :b (declare it with '-- param:"
                + " b = ...'; declared: a)");
    assertThatThrownBy(() -> bench(db, fast().withJmhArgs("-t 4"), dir))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("--jmh cannot set -t/-tg (use --threads)");
  }

  @Test
  void cleanupWritesCommitAndAreUndoneEachIteration(@TempDir Path dir) throws Exception {
    TestDatabases.exec(db.spec(), "CREATE TABLE IF NOT EXISTS bench_notes (id uuid, note text)");
    Path catalog = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        catalog.resolve("note.sql"),
        String.join(
            "\n",
            "-- name: note",
            "-- param: id = uuid()",
            "-- write: cleanup",
            "-- cleanup: DELETE FROM bench_notes WHERE note = 'bench'",
            "INSERT INTO bench_notes (id, note) VALUES (:id, 'bench')"));
    Result r = bench(db, fast().withQuerySources(List.of(catalog.toString())), dir);
    assertThat(r.outcome().exitCode()).as(r.console()).isEqualTo(ExitCode.OK);
    assertThat(path(r.outcome().report(), "note").variants().get(0).server().calls()).isPositive();
    try (var c = db.connect();
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM bench_notes")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  void forkedJvmsReadTheConnectionFromAPrivateFile(@TempDir Path dir) {
    Result r =
        bench(
            db,
            BenchSettings.of(BenchProfile.QUICK)
                .withJmhArgs("-f 1 -wi 0 -i 1 -r 200ms")
                .withOnly(List.of("message_fetch"))
                .withVariants(List.of(Variant.PLAIN))
                .withThreads(List.of(2)),
            dir);
    assertThat(r.outcome().report().failed()).as(r.console()).isZero();
    assertMeasuredExit(r);
    BenchReport.VariantReport plain = path(r.outcome().report(), "message_fetch").variants().get(0);
    assertThat(plain.variant()).isEqualTo("plain");
    assertThat(plain.latency().forkMeans()).hasSize(1);
    assertThat(plain.concurrency().get(0).opsPerSec()).isPositive();
  }
}

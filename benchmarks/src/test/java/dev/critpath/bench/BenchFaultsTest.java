package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.ExitCode;
import dev.critpath.catalog.Variant;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.io.Json;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.Seeder;
import dev.critpath.testkit.RestartableDatabase;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in the middle of JMH's measurement, on real PostgreSQL: the server crashes and restarts
 * (the run goes on, the lost calls are counted), a query hangs (statement_timeout cuts it off and
 * the path fails).
 */
class BenchFaultsTest {
  private static final Duration WAIT_FOR_MEASUREMENT = Duration.ofMinutes(2);
  private static final long POLL_MILLIS = 20;

  /**
   * As real runs do: a benchmark JVM per measurement, which ends with its benchmark (in-process, a
   * failed benchmark's thread may outlive it and hold its connection into the next one).
   */
  private static final String FORKED = "-f 1 -wi 0 -i 1 -r 100ms";

  /**
   * Backends of the benchmark pool running message_fetch's request (its role and claims, the
   * statement, the commit): two only while the 2-thread throughput measurement runs, since the
   * preflight and the 1-thread latency run use one such connection and the others differ.
   */
  private static final String BENCH_BACKENDS =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name = ? AND (query LIKE '%set_config%'"
          + " OR query LIKE '%FROM messages%' OR query = 'COMMIT')";

  private static RestartableDatabase server;

  @BeforeAll
  static void seed() {
    server = RestartableDatabase.migrated();
    Seeder.seed(server.db(), SeedOptions.of(dev.critpath.seed.Profile.TINY));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aServerRestartMidMeasurementIsCountedWhileTheRunGoesOn(@TempDir Path dir) throws Exception {
    CompletableFuture<Void> restarted =
        CompletableFuture.runAsync(
            () -> {
              awaitTwoBenchmarkThreads(server.db().spec());
              server.crashAndRestart();
            });
    BenchSettings settings =
        BenchSettings.of(BenchProfile.QUICK)
            .withJmhArgs("-f 1 -wi 0 -i 3 -r 1s")
            .withOnly(List.of("message_fetch"))
            .withVariants(List.of(Variant.RLS_ON))
            .withThreads(List.of(2));
    BenchTest.Result r = BenchTest.bench(server.db(), settings, dir);
    restarted.get(1, TimeUnit.MINUTES); // the restart did happen, mid-measurement

    BenchReport report = r.outcome().report();
    assertThat(r.outcome().exitCode()).as(r.console()).isEqualTo(ExitCode.FAILED);
    assertThat(report.verdict()).isEqualTo("fail");
    assertThat(report.failed()).isZero();
    assertThat(report.connectionErrors()).isPositive();
    BenchReport.PathReport fetch = BenchTest.path(report, "message_fetch");
    assertThat(fetch.status()).as(fetch.reason()).isEqualTo("ok");
    BenchReport.VariantReport rlsOn = fetch.variants().get(0);
    assertThat(rlsOn.latency().samples()).isPositive();
    assertThat(rlsOn.concurrency()).hasSize(1);
    assertThat(rlsOn.concurrency().get(0).opsPerSec()).isPositive();
    BenchReport.ConnectionErrors lost = rlsOn.connectionErrors();
    assertThat(lost).isNotNull();
    assertThat(lost.count()).isEqualTo(report.connectionErrors());
    // the server's shutdown notice, or the broken socket: both name their SQLSTATE
    assertThat(lost.first()).containsPattern("\\[SQLSTATE (08|57P0)").endsWith("(at 2 threads)");
    assertThat(r.console())
        .containsPattern("lost (its|their) connection \\(reconnected, measured on\\)");
    assertThat(r.console()).doesNotContain(server.db().spec().password());

    JsonNode bench =
        Json.mapper()
            .readTree(Files.readString(r.run().path().resolve("run.json")))
            .at("/sections/bench");
    assertThat(bench.path("connectionErrors").asLong()).isEqualTo(lost.count());
    assertThat(bench.at("/queries/0/variants/0/connectionErrors/first").asText())
        .isEqualTo(lost.first());
    assertThat(r.run().path().resolve(Bench.JMH_FILE)).isNotEmptyFile();
  }

  @Test
  void aQueryThatHangsMidMeasurementIsCutOffByStatementTimeout(@TempDir Path dir) throws Exception {
    TestDatabases.exec(server.db().spec(), "CREATE SEQUENCE IF NOT EXISTS hang_calls");
    Path catalog = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        catalog.resolve("good.sql"),
        "-- name: good\n-- param: n = int(1, 5)\nSELECT g FROM generate_series(1, :n) g\n");
    // fast for the preflight and JMH's first calls, then hangs; nextval writes (a read-only
    // transaction refuses it), so the header says so
    Files.writeString(
        catalog.resolve("hangs.sql"),
        "-- name: hangs\n-- write: rollback\n"
            + "SELECT pg_sleep(CASE WHEN nextval('hang_calls') > 3 THEN 10 ELSE 0 END)\n");
    try (Database impatient =
        Database.open(
            new DatabaseTarget.External(server.db().spec(), "test"), Duration.ofMillis(300))) {
      BenchTest.Result r =
          BenchTest.bench(
              impatient,
              BenchTest.fast().withJmhArgs(FORKED).withQuerySources(List.of(catalog.toString())),
              dir.resolve("results"));
      BenchReport report = r.outcome().report();
      assertThat(r.outcome().exitCode()).as(r.console()).isEqualTo(ExitCode.FAILED);
      assertThat(BenchTest.path(report, "good").status()).isEqualTo("ok");
      // a write: rollback path is measured committed and rolled back: both are cut off
      for (String name : List.of("hangs [committed]", "hangs [rolledBack]")) {
        BenchReport.PathReport hangs = BenchTest.path(report, name);
        assertThat(hangs.status()).as(name).isEqualTo("failed");
        assertThat(hangs.reason()).as(name).contains("exceeded statement_timeout (300 ms)");
        assertThat(hangs.variants()).allMatch(v -> v.connectionErrors() == null);
      }
      assertThat(BenchTest.path(report, "hangs [rolledBack]").reason())
          .contains("call: exceeded statement_timeout (300 ms)");
      assertThat(report.connectionErrors()).as("a timeout is not a lost connection").isZero();
    }
  }

  /** Waits until the 2-thread measurement runs. */
  private static void awaitTwoBenchmarkThreads(ConnectionSpec spec) {
    long deadline = System.nanoTime() + WAIT_FOR_MEASUREMENT.toNanos();
    try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.credentials());
        PreparedStatement ps = c.prepareStatement(BENCH_BACKENDS)) {
      ps.setString(1, Database.APPLICATION_NAME);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) >= 2) {
            return;
          }
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot watch the benchmark: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    throw new IllegalStateException(
        "the 2-thread measurement did not start within " + WAIT_FOR_MEASUREMENT);
  }
}

package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.db.TableChecksums;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference write paths measured committed and rolled back on real PostgreSQL: the committed
 * calls really commit, their rows are put back, and every table ends as it began.
 */
class CommittedWritesTest {
  static final List<String> WRITES = List.of("send_message", "mark_as_read", "voucher_redeem");

  static Database db;

  @BeforeAll
  static void seed() {
    db = Fixtures.seeded("committed");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void eachWriteIsMeasuredCommittedAndRolledBackAndTheDataEndsUnchanged(@TempDir Path dir)
      throws Exception {
    Map<String, TableChecksums.TableState> before = checksums();
    long deletedBefore = messagesDeleted();
    // two iterations: the rows of the first are put back before the second starts
    BenchTest.Result r =
        BenchTest.bench(
            db,
            BenchSettings.of(BenchProfile.QUICK)
                .withJmhArgs("-f 0 -wi 0 -i 2 -r 100ms")
                .withOnly(WRITES)
                .withThreads(List.of(2)),
            dir);

    assertThat(TableChecksums.diff(before, checksums())).as("tables the run changed").isEmpty();
    BenchReport report = r.outcome().report();
    assertThat(report.failed()).as(r.console()).isZero();
    for (String name : WRITES) {
      BenchReport.PathReport committed = BenchTest.path(report, name + " [committed]");
      BenchReport.PathReport rolledBack = BenchTest.path(report, name + " [rolledBack]");
      assertThat(committed.commit()).isEqualTo("committed");
      assertThat(rolledBack.commit()).isEqualTo("rolledBack");
      assertThat(List.of(committed.catalogQuery(), rolledBack.catalogQuery())).containsOnly(name);
      assertThat(committed.writeHandling()).contains("committed", "put back");
      assertThat(rolledBack.writeHandling()).contains("rolled back");
      BenchReport.VariantReport c = committed.variants().get(0);
      BenchReport.VariantReport b = rolledBack.variants().get(0);
      assertThat(c.latency().samples()).as(name).isPositive();
      assertThat(b.latency().samples()).as(name).isPositive();
      assertThat(c.server().calls()).as(name + " committed, server calls").isPositive();
      // the catalog's targets hold what users pay: judged on the committed measurement only
      assertThat(committed.targets()).isNotEmpty();
      assertThat(rolledBack.targets()).isNull();
      // committed is measured under concurrency, with its percentiles; rolled back at 1 thread
      assertThat(c.concurrency())
          .extracting(BenchReport.Level::threads)
          .as(name)
          .containsExactly(2);
      assertThat(c.concurrency().get(0).latency().p99()).isPositive();
      assertThat(b.concurrency()).isNull();
    }
    // the committed send_message calls did commit: their messages were there to be deleted again
    long committedCalls =
        BenchTest.path(report, "send_message [committed]").variants().get(0).server().calls();
    assertThat(messagesDeleted() - deletedBefore).isGreaterThanOrEqualTo(committedCalls);
  }

  @Test
  void theCatalogNameSelectsBothMeasurementsAndEachCanBeChosenAlone(@TempDir Path dir) {
    BenchSettings settings = BenchTest.fast().withOnly(List.of("mark_as_read [rolledBack]"));
    BenchTest.Result r = BenchTest.bench(db, settings, dir);
    assertThat(r.outcome().report().queries())
        .extracting(BenchReport.PathReport::name)
        .containsExactly("mark_as_read [rolledBack]");
    assertThat(
            BenchPath.select(dev.critpath.catalog.QueryCatalog.builtin(), List.of("mark_as_read"))
                .stream()
                .map(BenchPath::name))
        .containsExactly("mark_as_read [committed]", "mark_as_read [rolledBack]");
  }

  private static Map<String, TableChecksums.TableState> checksums() throws SQLException {
    try (Connection c = db.connect()) {
      return TableChecksums.snapshot(c, List.of("public"));
    }
  }

  /** Rows deleted from messages so far (counters flushed first). */
  private static long messagesDeleted() throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_force_next_flush()");
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n_tup_del FROM pg_stat_user_tables"
                    + " WHERE schemaname = 'public' AND relname = 'messages'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

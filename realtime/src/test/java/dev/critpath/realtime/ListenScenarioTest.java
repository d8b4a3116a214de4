package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.network.NetworkProfile;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LISTEN/NOTIFY fan-out measured from the JVM. */
class ListenScenarioTest {
  private static Database db;

  @BeforeAll
  static void database() {
    db = TestDatabases.migrated("rt_listen");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static RealtimeScenarioResult run(RealtimeSettings s) {
    RealtimeReport report = RealtimeBenchmark.run(db, s, new PrintWriter(new StringWriter()));
    RealtimeScenarioResult r = report.scenarios().get(0);
    System.out.println(Json.write(r));
    return r;
  }

  @Test
  void fanOutToManyListenersLosesAndDuplicatesNothing() {
    // 150 of the embedded server's 200 connections: as many as the tests' server can spare
    RealtimeScenarioResult r = run(Runs.listen(150, 40, 4, null));
    assertThat(r.level()).isEqualTo("listen");
    assertThat(r.measured()).isTrue();
    assertThat(r.subscribers()).isEqualTo(150);
    assertThat(r.messages().sent()).isBetween(150L, 160L);
    assertThat(r.messages().expectedDeliveries()).isEqualTo(150 * r.messages().sent());
    assertThat(r.messages().lost()).isZero();
    assertThat(r.messages().duplicates()).isZero();
    assertThat(r.delivery().count()).isEqualTo(r.messages().expectedDeliveries());
    assertThat(r.delivery().min()).isPositive();
    assertThat(r.subscribersBehind()).isZero();
    assertThat(r.errors().total()).isZero();
    assertThat(r.subscriptionSetup().count()).isEqualTo(150);
  }

  @Test
  void everyDistributionGoesToTheLatencyLogInFull(@TempDir Path dir) {
    RealtimeReport report =
        RealtimeBenchmark.run(
            db, Runs.listen(5, 20, 2, null), new PrintWriter(new StringWriter()), dir);
    RealtimeScenarioResult r = report.scenarios().get(0);
    assertThat(report.latencyLog()).isEqualTo("realtime.hlog");
    Map<LatencyTag, Histogram> logged = LatencyLog.totals(dir.resolve("realtime.hlog"), "run");
    Histogram delivery =
        logged.get(LatencyTag.of(Section.REALTIME, "listen", "delivery", Map.of()));
    assertThat(delivery.getTotalCount()).isEqualTo(r.delivery().count()).isPositive();
    assertThat(LatencySummary.of(delivery)).isEqualTo(r.delivery());
    assertThat(logged.get(LatencyTag.of(Section.REALTIME, "listen", "commit", Map.of())))
        .extracting(Histogram::getTotalCount)
        .isEqualTo(r.commit().count());
  }

  @Test
  void a4gLinkToTheDatabaseDelaysEveryNotificationByHalfItsRoundTrip() {
    RealtimeScenarioResult r = run(Runs.listen(10, 10, 2, NetworkProfile.LTE_4G));
    assertThat(r.messages().lost()).isZero();
    assertThat(r.delivery().min()).isGreaterThanOrEqualTo(NetworkProfile.LTE_4G.rttMillis() / 2.0);
  }

  @Test
  void moreListenersThanConnectionsIsAUserError() {
    assertThatThrownBy(() -> run(Runs.listen(1000, 10, 1, null)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("free connections")
        .hasMessageContaining("--level websocket");
  }
}

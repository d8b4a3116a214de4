package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  @Test
  void fanOutToManyListenersLosesAndDuplicatesNothing() throws Exception {
    RealtimeSettings s =
        new RealtimeSettings(
            RealtimeSettings.Level.LISTEN,
            150,
            40,
            Duration.ofSeconds(4),
            1,
            null,
            RealtimeSettings.EventKind.POSTGRES_CHANGES,
            0,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            null);
    StringWriter log = new StringWriter();
    ScenarioResult r;
    try (Fixture f = Fixture.create(db, s.subscribers(), s.conversations())) {
      r = ListenScenario.run(db, f, s, new PrintWriter(log, true));
    }
    assertThat(r.subscribers()).isEqualTo(150);
    assertThat(r.messages().sent()).isBetween(150L, 160L);
    assertThat(r.messages().expectedDeliveries()).isEqualTo(150 * r.messages().sent());
    assertThat(r.messages().lost()).isZero();
    assertThat(r.messages().duplicates()).isZero();
    assertThat(r.delivery().count()).isEqualTo(r.messages().expectedDeliveries());
    assertThat(r.delivery().p50Ms()).isPositive();
    assertThat(r.subscribersBehind()).isZero();
    assertThat(r.errors().total()).isZero();
    System.out.println(dev.critpath.io.Json.write(r));
  }
}

package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebSocketScenarioTest {
  private static Database db;

  @BeforeAll
  static void database() {
    db = TestDatabases.migrated("rt_ws");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void subscribersThroughTheRelayGetEveryMessageOnceAndReconnectsCatchUp() throws Exception {
    RealtimeSettings s =
        new RealtimeSettings(
            RealtimeSettings.Level.WEBSOCKET,
            100,
            20,
            Duration.ofSeconds(6),
            4,
            null,
            RealtimeSettings.EventKind.POSTGRES_CHANGES,
            3,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            null);
    RealtimeReport report = RealtimeBenchmark.run(db, s, new PrintWriter(System.out, true));
    ScenarioResult r = report.scenarios().get(0);
    System.out.println(Json.write(r));
    assertThat(r.errors().total()).isZero();
    assertThat(r.messages().lost()).isZero();
    assertThat(r.messages().duplicates()).isZero();
    assertThat(r.reconnects().forced()).isEqualTo(3);
    assertThat(r.reconnects().succeeded()).isEqualTo(3);
    assertThat(r.messages().recoveredByCatchUp()).isPositive();
  }
}

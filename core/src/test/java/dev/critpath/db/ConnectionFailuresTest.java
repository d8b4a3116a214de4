package dev.critpath.db;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.testkit.TestDatabases;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each way a connection can fail ends in one line naming the cause and the fix. */
class ConnectionFailuresTest {

  @Test
  void refusedPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> open("postgresql://u:pw12345@127.0.0.1:" + port + "/x"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("connection refused")
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageNotContaining("pw12345");
  }

  @Test
  void unknownHost() {
    assertThatThrownBy(() -> open("postgresql://u@no-such-host.invalid/x"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown host \"no-such-host.invalid\"");
  }

  @Test
  void missingDatabase() {
    ConnectionSpec spec = TestDatabases.embedded().spec().withDatabase("does_not_exist");
    assertThatThrownBy(() -> TestDatabases.open(spec))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("database \"does_not_exist\" does not exist")
        .hasMessageContaining("createdb does_not_exist");
  }

  @Test
  void wrongPassword() {
    ConnectionSpec good = TestDatabases.embedded().spec();
    ConnectionSpec bad =
        new ConnectionSpec(
            good.host(), good.port(), good.database(), good.user(), "wrong-password-123", Map.of());
    assertThatThrownBy(() -> TestDatabases.open(bad))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("password authentication failed for user \"postgres\"")
        .hasMessageNotContaining("wrong-password-123");
  }

  private static void open(String url) {
    Database.open(new DatabaseTarget.External(PgUrl.parse(url), "test"), Duration.ofSeconds(5))
        .close();
  }
}

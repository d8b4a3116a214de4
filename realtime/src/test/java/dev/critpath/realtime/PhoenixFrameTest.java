package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PhoenixFrameTest {
  private static PhoenixFrame scan(String json) throws IOException {
    byte[] b = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
    return PhoenixFrame.scan(b, 2, b.length - 4);
  }

  @Test
  void postgresChangesAsSupabaseSendsThem() throws IOException {
    // Supabase puts ids and data before the event; key order must not matter
    PhoenixFrame f =
        scan(
            "{\"ref\":null,\"payload\":{\"ids\":[38606455],\"data\":{\"columns\":[{\"name\":\"id\","
                + "\"type\":\"uuid\"}],\"commit_timestamp\":\"2026-01-01T00:00:00Z\",\"errors\":null,"
                + "\"record\":{\"content\":\"hi\",\"id\":\"7d1c1a52-0000-4000-8000-000000000001\"},"
                + "\"schema\":\"public\",\"table\":\"messages\",\"type\":\"INSERT\"}},"
                + "\"event\":\"postgres_changes\",\"topic\":\"realtime:x\"}");
    assertThat(f.event()).isEqualTo("postgres_changes");
    assertThat(f.recordId()).isEqualTo("7d1c1a52-0000-4000-8000-000000000001");
    assertThat(f.ref()).isNull();
  }

  @Test
  void broadcastFromTheDatabaseAndPlainBroadcast() throws IOException {
    assertThat(
            scan("{\"topic\":\"realtime:c\",\"event\":\"broadcast\",\"payload\":{\"type\":"
                    + "\"broadcast\",\"event\":\"INSERT\",\"payload\":{\"id\":\"op\","
                    + "\"record\":{\"id\":\"m1\"},\"old_record\":null}}}")
                .recordId())
        .isEqualTo("m1");
    assertThat(
            scan("{\"topic\":\"realtime:c\",\"event\":\"broadcast\",\"payload\":{\"type\":"
                    + "\"broadcast\",\"event\":\"new\",\"payload\":{\"id\":\"m2\"}}}")
                .recordId())
        .isEqualTo("m2");
  }

  @Test
  void replies() throws IOException {
    PhoenixFrame f =
        scan(
            "{\"topic\":\"phoenix\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\","
                + "\"response\":{}},\"ref\":\"7\"}");
    assertThat(f.event()).isEqualTo("phx_reply");
    assertThat(f.status()).isEqualTo("ok");
    assertThat(f.ref()).isEqualTo("7");
    assertThat(f.recordId()).isNull();
  }

  @Test
  void garbageIsRefused() {
    assertThatThrownBy(() -> scan("<html>")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> scan("{\"topic\":\"x\"}")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> scan("{\"event\":\"x\"")).isInstanceOf(IOException.class);
  }
}

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
  void vsn2ArrayFrames() throws IOException {
    PhoenixFrame change =
        scan(
            "[null,null,\"realtime:x\",\"postgres_changes\",{\"ids\":[3],\"data\":{\"record\":"
                + "{\"id\":\"m3\",\"content\":\"hi\"},\"type\":\"INSERT\"}}]");
    assertThat(change.event()).isEqualTo("postgres_changes");
    assertThat(change.recordId()).isEqualTo("m3");
    PhoenixFrame reply =
        scan("[\"1\",\"4\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    assertThat(reply.event()).isEqualTo("phx_reply");
    assertThat(reply.ref()).isEqualTo("4");
    assertThat(reply.status()).isEqualTo("ok");
    assertThatThrownBy(() -> scan("[null,null,\"t\",\"e\"]")).isInstanceOf(IOException.class);
  }

  @Test
  void vsn2BinaryUserBroadcast() throws IOException {
    // kind 4, topic/event/metadata sizes, JSON encoding, then topic, event, metadata, payload
    byte[] topic = "realtime:conversation:c".getBytes(StandardCharsets.UTF_8);
    byte[] event = "INSERT".getBytes(StandardCharsets.UTF_8);
    byte[] meta = "{\"id\":\"op\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body =
        "{\"operation\":\"INSERT\",\"record\":{\"id\":\"m4\",\"n\":[1,2]},\"old_record\":null}"
            .getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {4, (byte) topic.length, (byte) event.length, (byte) meta.length, 1});
    out.writeBytes(topic);
    out.writeBytes(event);
    out.writeBytes(meta);
    out.writeBytes(body);
    byte[] frame = out.toByteArray();
    PhoenixFrame f = PhoenixFrame.scanBinary(frame, 0, frame.length);
    assertThat(f.event()).isEqualTo("broadcast");
    assertThat(f.recordId()).isEqualTo("m4");
    frame[0] = 3;
    assertThatThrownBy(() -> PhoenixFrame.scanBinary(frame, 0, frame.length))
        .isInstanceOf(IOException.class);
  }

  @Test
  void garbageIsRefused() {
    assertThatThrownBy(() -> scan("<html>")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> scan("{\"topic\":\"x\"}")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> scan("{\"event\":\"x\"")).isInstanceOf(IOException.class);
  }
}

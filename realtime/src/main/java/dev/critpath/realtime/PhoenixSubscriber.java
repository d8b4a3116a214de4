package dev.critpath.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Supabase Realtime client: a WebSocket speaking Phoenix channels (vsn 2.0.0 as realtime-js
 * does by default: array frames and binary user broadcasts, or 1.0.0 objects), joined to one topic
 * with postgres_changes or broadcast, answering nothing but sending heartbeats, recording every
 * message it is handed into its {@link Receipts}. Each connection attempt gets its own listener, so
 * callbacks of a socket already given up never mix with the current one's.
 */
final class PhoenixSubscriber {
  /** Told when a joined connection ends without anyone asking for it. */
  interface OnDrop {
    void dropped(PhoenixSubscriber subscriber, String why);
  }

  /** phx_join answered with an error. */
  static final class JoinRefused extends IOException {
    private static final long serialVersionUID = 1L;

    JoinRefused(String reason) {
      super("phx_join refused: " + reason);
    }
  }

  /** The WebSocket could not be opened (TCP, HTTP upgrade, apikey). */
  static final class ConnectFailed extends IOException {
    private static final long serialVersionUID = 1L;

    ConnectFailed(Throwable cause) {
      super("connect failed: " + ListenScenario.rootMessage(cause), cause);
    }
  }

  final int index;
  final UUID user;
  final UUID conversation;
  final String accessToken;
  final Receipts receipts = new Receipts();
  private final String topic;
  private final String joinPayload;
  private final Vsn vsn;
  private final WebSockets sockets;
  private final Tally tally;
  private final Duration timeout;
  private final OnDrop onDrop;
  private final AtomicInteger refs = new AtomicInteger();
  private volatile Connection current;

  PhoenixSubscriber(
      int index,
      UUID user,
      UUID conversation,
      String accessToken,
      RealtimeSettings.EventKind kind,
      Vsn vsn,
      WebSockets sockets,
      Tally tally,
      Duration timeout,
      OnDrop onDrop) {
    this.index = index;
    this.user = user;
    this.conversation = conversation;
    this.accessToken = accessToken;
    this.topic = "realtime:conversation:" + conversation;
    this.joinPayload = joinPayload(kind, conversation, accessToken);
    this.vsn = vsn;
    this.sockets = sockets;
    this.tally = tally;
    this.timeout = timeout;
    this.onDrop = onDrop;
  }

  /** The phx_join payload realtime-js sends for one binding. */
  static String joinPayload(RealtimeSettings.EventKind kind, UUID conversation, String token) {
    ObjectNode payload = Json.mapper().createObjectNode();
    ObjectNode config = payload.putObject("config");
    config.putObject("broadcast").put("ack", false).put("self", false);
    config.putObject("presence").put("key", "");
    var changes = config.putArray("postgres_changes");
    if (kind == RealtimeSettings.EventKind.POSTGRES_CHANGES) {
      changes
          .addObject()
          .put("event", "INSERT")
          .put("schema", "public")
          .put("table", "messages")
          .put("filter", "conversation_id=eq." + conversation);
    }
    config.put("private", kind == RealtimeSettings.EventKind.BROADCAST);
    payload.put("access_token", token);
    return payload.toString();
  }

  /**
   * Opens a socket and joins; completes when the join is answered "ok", exceptionally with {@link
   * ConnectFailed}, {@link JoinRefused} or a timeout otherwise. Never waits longer than the
   * timeout.
   */
  CompletableFuture<Void> connect() {
    Connection c = new Connection();
    current = c;
    sockets.open(c);
    return c.joined
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                c.abort(); // a join that answers after its timeout must not linger unseen
              }
            });
  }

  /** True once the current connection's join was answered "ok". */
  boolean joined() {
    Connection c = current;
    return c != null && c.joined.isDone() && !c.joined.isCompletedExceptionally();
  }

  /** Connected: whether the last timeout waited for the server's reply (vs the socket). */
  boolean socketOpen() {
    Connection c = current;
    return c != null && c.channel != null;
  }

  /** Cuts the connection the way a lost network does: no close handshake. */
  void abort() {
    Connection c = current;
    current = null;
    if (c != null) {
      c.abort();
    }
  }

  /** Sends a heartbeat; an earlier one still unanswered counts as a timeout. */
  void heartbeat() {
    Connection c = current;
    if (c == null || !joined()) {
      return;
    }
    if (c.pendingHeartbeat != null) {
      tally.error(tally.heartbeatTimeouts, "heartbeat not answered within the interval");
    }
    String ref = nextRef();
    c.pendingHeartbeat = ref;
    c.send(frame("phoenix", "heartbeat", "{}", ref, null));
  }

  private String nextRef() {
    return Integer.toString(refs.incrementAndGet());
  }

  private String frame(String topic, String event, String payloadJson, String ref, String joinRef) {
    if (vsn == Vsn.V2) {
      var f = Json.mapper().createArrayNode();
      f.add(joinRef).add(ref).add(topic).add(event);
      try {
        f.add(Json.mapper().readTree(payloadJson));
      } catch (IOException e) {
        throw new IllegalArgumentException(e);
      }
      return f.toString();
    }
    ObjectNode f = Json.mapper().createObjectNode();
    f.put("topic", topic);
    f.put("event", event);
    try {
      f.set("payload", Json.mapper().readTree(payloadJson));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    f.put("ref", ref);
    if (joinRef != null) {
      f.put("join_ref", joinRef);
    }
    return f.toString();
  }

  /** One socket of this subscriber. */
  private final class Connection implements WebSockets.Listener {
    final CompletableFuture<Void> joined = new CompletableFuture<>();
    volatile Channel channel;
    volatile String joinRef;
    volatile String pendingHeartbeat;
    volatile boolean aborted;

    @Override
    public void opened(Channel ch) {
      channel = ch;
      if (aborted) {
        WebSockets.abort(ch);
        return;
      }
      joinRef = nextRef();
      send(frame(topic, "phx_join", joinPayload, joinRef, joinRef));
    }

    void send(String text) {
      Channel ch = channel;
      if (ch != null) {
        WebSockets.send(ch, text);
      }
    }

    void abort() {
      aborted = true;
      Channel ch = channel;
      if (ch != null) {
        WebSockets.abort(ch);
      }
      joined.completeExceptionally(new IOException("aborted"));
    }

    @Override
    public void text(byte[] utf8, int offset, int length, long receivedNanos) {
      if (aborted || current != this) {
        return;
      }
      PhoenixFrame f;
      try {
        f = PhoenixFrame.scan(utf8, offset, length);
      } catch (IOException e) {
        tally.error(
            tally.protocolErrors,
            "not a Phoenix frame: "
                + abbreviate(new String(utf8, offset, length, StandardCharsets.UTF_8)));
        return;
      }
      switch (f.event()) {
        case "postgres_changes":
        case "broadcast":
          if (f.recordId() == null) {
            tally.error(tally.protocolErrors, f.event() + " event without a record id");
          } else {
            tally.frame(length);
            tally.delivered(receipts, f.recordId(), receivedNanos);
          }
          break;
        case "phx_reply":
          if ("ok".equals(f.status())) {
            replyOk(f.ref());
            break;
          }
          handle(new String(utf8, offset, length, StandardCharsets.UTF_8));
          break;
        default:
          handle(new String(utf8, offset, length, StandardCharsets.UTF_8));
          break;
      }
    }

    @Override
    public void binary(byte[] bytes, int offset, int length, long receivedNanos) {
      if (aborted || current != this) {
        return;
      }
      try {
        PhoenixFrame f = PhoenixFrame.scanBinary(bytes, offset, length);
        if (f.recordId() == null) {
          tally.error(tally.protocolErrors, "binary broadcast without a record id");
        } else {
          tally.frame(length);
          tally.delivered(receipts, f.recordId(), receivedNanos);
        }
      } catch (IOException e) {
        tally.error(tally.protocolErrors, "binary frame: " + e.getMessage());
      }
    }

    private void replyOk(String ref) {
      if (ref != null && ref.equals(joinRef)) {
        joined.complete(null);
      } else if (ref != null && ref.equals(pendingHeartbeat)) {
        pendingHeartbeat = null;
      }
    }

    @Override
    public void failed(Throwable cause) {
      joined.completeExceptionally(new ConnectFailed(cause));
    }

    /** Frames other than deliveries and "ok" replies: rare, so a tree is fine. */
    private void handle(String text) {
      JsonNode m;
      try {
        m = asObject(Json.mapper().readTree(text));
      } catch (IOException e) {
        tally.error(tally.protocolErrors, "not JSON: " + abbreviate(text));
        return;
      }
      JsonNode payload = m.path("payload");
      switch (m.path("event").asText()) {
        case "phx_reply":
          reply(m.path("ref").asText(null), payload);
          break;
        case "phx_error":
          tally.error(tally.protocolErrors, "phx_error on " + m.path("topic").asText());
          break;
        case "phx_close":
          tally.error(tally.protocolErrors, "server closed channel " + m.path("topic").asText());
          break;
        case "system":
          if ("error".equals(payload.path("status").asText())) {
            tally.error(tally.protocolErrors, "system error: " + payload.path("message").asText());
          }
          break;
        default:
          break; // presence_state, presence_diff and what else a server may add
      }
    }

    private void reply(String ref, JsonNode payload) {
      boolean ok = "ok".equals(payload.path("status").asText());
      if (ref != null && ref.equals(joinRef)) {
        if (ok) {
          joined.complete(null);
        } else {
          JsonNode reason = payload.path("response").path("reason");
          joined.completeExceptionally(
              new JoinRefused(
                  reason.isMissingNode() ? payload.path("response").toString() : reason.asText()));
        }
      } else if (ref != null && ref.equals(pendingHeartbeat)) {
        pendingHeartbeat = null;
      } else if (!ok) {
        tally.error(tally.protocolErrors, "error reply: " + payload.path("response"));
      }
    }

    @Override
    public void closed(String why) {
      boolean wasJoined = joined.isDone() && !joined.isCompletedExceptionally();
      joined.completeExceptionally(new IOException(why));
      if (wasJoined && !aborted && current == this) {
        current = null;
        onDrop.dropped(PhoenixSubscriber.this, why);
      }
    }
  }

  /** A vsn 2.0.0 frame [join_ref, ref, topic, event, payload] as the 1.0.0 object. */
  private static JsonNode asObject(JsonNode frame) {
    if (!frame.isArray()) {
      return frame;
    }
    ObjectNode o = Json.mapper().createObjectNode();
    o.set("join_ref", frame.path(0));
    o.set("ref", frame.path(1));
    o.set("topic", frame.path(2));
    o.set("event", frame.path(3));
    o.set("payload", frame.path(4));
    return o;
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "...";
  }
}

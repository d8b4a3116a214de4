package dev.critpath.realtime;

import dev.critpath.db.Database;
import dev.critpath.db.RequestContext;
import dev.critpath.run.LatencySummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends messages at a fixed rate through send_message, as the fixture's sender (RLS and auth.uid()
 * as in a real request). The schedule is open: message i is due at start + i / rate whatever
 * happened to message i-1, and a send that starts more than one period late is counted. One
 * connection sends in order, so created_at follows commit order and "catch up since the last seen
 * created_at" is exact; the send itself is not shaped (the sender is somebody else's phone).
 */
final class Sender {
  private static final String SEND =
      "SELECT message_id::text, created_at FROM send_message(?, ?, 'text', ?)";

  /**
   * Broadcast from the database as Supabase's docs describe it, in the sending transaction after
   * send_message (the new row is visible to the next statement, not to the one that inserted it):
   * realtime.broadcast_changes() with the row to the private topic conversation:&lt;id&gt;, what an
   * AFTER INSERT trigger on messages would call (one is not installed on the workload's table:
   * every other benchmark's send_message would pay for it).
   */
  private static final String BROADCAST =
      "SELECT realtime.broadcast_changes('conversation:' || msg.conversation_id, 'INSERT',"
          + " 'INSERT', 'messages', 'public', msg, NULL) FROM messages msg WHERE msg.id = ?::uuid";

  private final Database db;
  private final Fixture fixture;
  private final MessageLog log;
  private final double ratePerSecond;
  private final Latencies commit = new Latencies();
  private volatile boolean stop;
  private int sent;
  private int failed;
  private int late;
  private String firstError;

  private final boolean broadcast;

  Sender(Database db, Fixture fixture, MessageLog log, double ratePerSecond) {
    this(db, fixture, log, ratePerSecond, false);
  }

  /** {@code broadcast}: also broadcast each message from the database (realtime.messages). */
  Sender(Database db, Fixture fixture, MessageLog log, double ratePerSecond, boolean broadcast) {
    this.broadcast = broadcast;
    this.db = db;
    this.fixture = fixture;
    this.log = log;
    this.ratePerSecond = ratePerSecond;
  }

  /** Counts of one sending run. */
  record Result(
      int sent,
      int failed,
      int lateStarts,
      LatencySummary commit,
      String firstError,
      Latencies commitLatencies) {
    /** Nothing sent: nobody was there to receive it. */
    static final Result NONE = new Result(0, 0, 0, LatencySummary.EMPTY, null, new Latencies());
  }

  /** Sends for {@code duration} (or until {@link #stop()}) on the calling thread. */
  Result run(Duration duration) throws SQLException {
    long period = (long) (TimeUnit.SECONDS.toNanos(1) / ratePerSecond);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    try (Connection c = db.connect();
        PreparedStatement ctx = c.prepareStatement(RequestContext.sql());
        PreparedStatement send = c.prepareStatement(SEND);
        PreparedStatement fanOut = c.prepareStatement(BROADCAST)) {
      c.setAutoCommit(false);
      for (int i = 0; !stop; i++) {
        long due = start + i * period;
        if (due - end >= 0) {
          break;
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else if (-wait > period) {
          late++;
        }
        sendOne(c, ctx, send, fanOut, i);
      }
    }
    return new Result(sent, failed, late, commit.summary(), firstError, commit);
  }

  void stop() {
    stop = true;
  }

  private void sendOne(
      Connection c,
      PreparedStatement ctx,
      PreparedStatement send,
      PreparedStatement fanOut,
      int seq) {
    int conversation = seq % fixture.conversationCount();
    String id = null;
    try {
      RequestContext.bind(ctx, "authenticated", fixture.sender().toString());
      ctx.execute();
      send.setObject(1, fixture.conversation(conversation));
      send.setString(2, "critpath realtime #" + seq);
      send.setObject(3, UUID.randomUUID());
      OffsetDateTime createdAt;
      try (ResultSet rs = send.executeQuery()) {
        rs.next();
        id = rs.getString(1);
        createdAt = rs.getObject(2, OffsetDateTime.class);
      }
      if (broadcast) {
        fanOut.setString(1, id);
        fanOut.execute();
      }
      MessageLog.Sent entry = new MessageLog.Sent(seq, conversation, createdAt, System.nanoTime());
      log.sending(id, entry);
      c.commit();
      commit.recordNanos(System.nanoTime() - entry.commitRequestNanos());
      log.committed(entry);
      sent++;
    } catch (SQLException e) {
      failed++;
      if (firstError == null) {
        firstError = e.getMessage();
      }
      if (id != null) {
        log.failed(id);
      }
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is gone; the next send fails and is counted too
      }
    }
  }
}

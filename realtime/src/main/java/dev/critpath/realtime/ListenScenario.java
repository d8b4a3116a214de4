package dev.critpath.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.ThresholdCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Delivery at the database: N connections LISTEN on send_message's channel, each with a thread
 * blocked in {@code getNotifications}, while the sender commits messages at a fixed rate.
 * PostgreSQL has no per-listener filter, so every listener gets every message: N deliveries per
 * send. This is the fan-out Supabase Realtime avoids by listening once (through replication) and
 * fanning out itself, measured so the two can be compared.
 */
final class ListenScenario {
  static final String CHANNEL = "critpath_messages";

  /** Connections kept free for the sender, the relay and anyone else. */
  private static final int RESERVED_CONNECTIONS = 8;

  private static final int POLL_MILLIS = 250;
  private static final int OPENERS = 8;

  private ListenScenario() {}

  static RealtimeScenarioResult run(
      Database db, Fixture fixture, RealtimeSettings s, PrintWriter out, LatencyLog latencyLog)
      throws SQLException, InterruptedException {
    List<String> notes = new ArrayList<>();
    int free = freeConnections(db) - RESERVED_CONNECTIONS;
    int listeners = Math.min(s.subscribers(), free);
    if (listeners < s.subscribers()) {
      String why =
          s.subscribers()
              + " LISTEN connections do not fit: the server has "
              + Math.max(0, free)
              + " free connections (max_connections minus reserved and used, less "
              + RESERVED_CONNECTIONS
              + " kept free)";
      if (s.level() == RealtimeSettings.Level.LISTEN || listeners < 1) {
        throw new UserError(
            why + "; lower --subscribers, raise max_connections, or use --level websocket");
      }
      notes.add(why + "; measured with " + listeners + " listeners");
    }
    MessageLog log = new MessageLog(fixture.conversationCount());
    Tally tally = new Tally(log);
    List<Receipts> receipts = new ArrayList<>();
    for (int i = 0; i < listeners; i++) {
      receipts.add(new Receipts());
    }
    out.printf(
        "realtime listen: %d listeners on %s, %s msg/s for %d s, network %s%n",
        listeners, CHANNEL, fmt(s.ratePerSecond()), s.duration().toSeconds(), s.networkName());
    try (ClientLink link = new ClientLink(db, s.network(), "critpath-realtime-listen")) {
      List<Connection> connections = open(link, listeners, tally);
      List<Thread> threads = new ArrayList<>();
      Poller poller = new Poller(tally);
      try {
        for (int i = 0; i < connections.size(); i++) {
          Connection c = connections.get(i);
          if (c != null) {
            Receipts r = receipts.get(i);
            Thread t = new Thread(() -> poller.poll(c, r), "critpath-listen-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
          }
        }
        Sender.Result sent;
        List<BitSet> expected;
        boolean measured = !threads.isEmpty();
        try (MachineLoad load = new MachineLoad()) {
          if (measured) {
            sent = new Sender(db, fixture, log, s.ratePerSecond()).run(s.duration());
          } else {
            sent = Sender.Result.NONE;
            notes.add("no listener could connect: nothing was sent or measured");
          }
          expected = Collections.nCopies(listeners, log.expected(-1));
          if (measured) {
            drain(receipts, expected, s.drain());
            notes.add(load.note());
          }
        }
        poller.stop = true;
        for (Thread t : threads) {
          t.join(TimeUnit.SECONDS.toMillis(5));
        }
        RealtimeScenarioResult.Messages messages = tally.messages(sent, receipts, expected);
        int behind = Tally.behind(receipts, expected).size();
        LatencySummary delivery = tally.delivery.summary();
        LatencySummary setup = tally.setup.summary();
        tally.log(latencyLog, "listen", s.network(), sent);
        RealtimeScenarioResult.Reconnects reconnects =
            new RealtimeScenarioResult.Reconnects(0, 0, 0, 0, 0, LatencySummary.EMPTY);
        Platform platform = Platform.of(s.network());
        List<ThresholdCheck> thresholds =
            Targets.of(false, platform, delivery, setup, reconnects, messages);
        if (sent.firstError() != null) {
          notes.add("first send error: " + sent.firstError());
        }
        return new RealtimeScenarioResult(
            "listen",
            db.spec().display() + " LISTEN " + CHANNEL,
            s.network(),
            platform.label,
            listeners,
            s.ratePerSecond(),
            s.duration().toMillis() / 1000.0,
            fixture.conversationCount(),
            "notify",
            messages,
            delivery,
            sent.commit(),
            setup,
            reconnects,
            tally.errors(),
            behind,
            measured,
            thresholds,
            thresholds.stream().allMatch(ThresholdCheck::passed),
            notes,
            null);
      } finally {
        poller.stop = true;
        for (Connection c : connections) {
          closeQuietly(c);
        }
      }
    }
  }

  /** Opens and subscribes the listeners, a few at a time; a failure leaves a null in its slot. */
  private static List<Connection> open(ClientLink link, int listeners, Tally tally)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
    try {
      List<Future<Connection>> futures = new ArrayList<>();
      for (int i = 0; i < listeners; i++) {
        futures.add(
            pool.submit(
                () -> {
                  long t0 = System.nanoTime();
                  Connection c = link.connect();
                  try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                  } catch (SQLException e) {
                    closeQuietly(c);
                    throw e;
                  }
                  tally.setup.recordNanos(System.nanoTime() - t0);
                  return c;
                }));
      }
      List<Connection> out = new ArrayList<>();
      for (Future<Connection> f : futures) {
        try {
          out.add(f.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
          tally.error(tally.connectFailures, "LISTEN connection: " + rootMessage(e));
          out.add(null);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits until every receiver has what it should, or the drain time is up. */
  static void drain(List<Receipts> receivers, List<BitSet> expected, Duration drain)
      throws InterruptedException {
    long deadline = System.nanoTime() + drain.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (Tally.behind(receivers, expected).isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
  }

  private static final class Poller {
    private final Tally tally;
    volatile boolean stop;

    Poller(Tally tally) {
      this.tally = tally;
    }

    void poll(Connection c, Receipts receipts) {
      try {
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!stop) {
          PGNotification[] batch = pg.getNotifications(POLL_MILLIS);
          long now = System.nanoTime();
          if (batch == null) {
            continue;
          }
          for (PGNotification n : batch) {
            tally.delivered(receipts, messageId(n.getParameter()), now);
          }
        }
      } catch (SQLException e) {
        if (!stop) {
          tally.error(tally.protocolErrors, "LISTEN connection lost: " + e.getMessage());
        }
      }
    }
  }

  /** The message id in send_message's payload, or null when the payload is not ours. */
  static String messageId(String payload) {
    try {
      JsonNode id = Json.mapper().readTree(payload).get("id");
      return id == null ? null : id.asText();
    } catch (IOException e) {
      return null;
    }
  }

  private static int freeConnections(Database db) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('max_connections')::int"
                    + " - current_setting('superuser_reserved_connections')::int"
                    + " - coalesce(current_setting('reserved_connections', true)::int, 0)"
                    + " - (SELECT count(*) FROM pg_stat_activity"
                    + "    WHERE backend_type = 'client backend')::int")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage() == null ? t : t.getMessage());
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }
}

package dev.critpath.realtime;

import dev.critpath.Secrets;
import dev.critpath.db.Database;
import dev.critpath.network.ShapingProxy;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.ThresholdCheck;
import dev.critpath.supabase.TokenMinter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivery to Supabase Realtime clients: N WebSocket subscribers join their conversation's topic,
 * the sender commits messages at a fixed rate, and every delivery is timed from its COMMIT. Some
 * subscribers lose their connection mid-run (forced, like a phone losing its network), stay
 * offline, then reconnect, rejoin and fetch what they missed. Locally the endpoint is the Deno
 * relay in supabase/realtime; against a project it is the project's Realtime.
 */
final class WebSocketScenario {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** realtime-js's default heartbeat interval. */
  static final Duration HEARTBEAT = Duration.ofSeconds(25);

  /** How long the subscribers' tokens live: longer than any run. */
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(2);

  /** realtime-js's reconnectAfterMs steps, the first three. */
  private static final long[] BACKOFF_MS = {1000, 2000, 5000};

  private static final int CONCURRENT_CONNECTS = 64;
  private static final int IO_THREADS = 2;
  private static final int CALLBACK_THREADS = 2;
  private static final int MAX_CATCH_UP_CONNECTIONS = 4;

  private final Database db;
  private final Fixture fixture;
  private final RealtimeSettings s;
  private final PrintWriter out;
  private final MessageLog log;
  private final Tally tally;
  private final LatencyLog latencyLog;
  private final List<PhoenixSubscriber> subscribers = new ArrayList<>();
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(4, daemon("critpath-ws-scheduler"));
  private final ExecutorService callbacks =
      Executors.newFixedThreadPool(CALLBACK_THREADS, daemon("critpath-ws-callbacks"));
  private final AtomicInteger reconnectsInFlight = new AtomicInteger();
  private final List<String> notes = new ArrayList<>();

  /** What carries a message from COMMIT to the subscribers of the local relay. */
  static String deliveryPath(RealtimeSettings.EventKind event) {
    return event == RealtimeSettings.EventKind.BROADCAST
        ? "delivery path: broadcast from the database (realtime.broadcast_changes() in the"
            + " sending transaction, realtime.messages streamed over logical replication; private"
            + " channels authorised at join), as Supabase Realtime"
        : "delivery path: postgres_changes from logical decoding (a temporary pgoutput slot polled"
            + " every "
            + RealtimeRelay.POLL_INTERVAL_MS
            + " ms, at once after changes; RLS read per change and"
            + " subscriber's claims), as Supabase Realtime";
  }

  private CatchUp catchUp;
  private volatile boolean running = true;

  private WebSocketScenario(
      Database db, Fixture fixture, RealtimeSettings s, PrintWriter out, LatencyLog latencyLog) {
    this.latencyLog = latencyLog;
    this.db = db;
    this.fixture = fixture;
    this.s = s;
    this.out = out;
    this.log = new MessageLog(fixture.conversationCount());
    this.tally = new Tally(log);
  }

  static RealtimeScenarioResult run(
      Database db, Fixture fixture, RealtimeSettings s, PrintWriter out, LatencyLog latencyLog)
      throws SQLException, InterruptedException {
    return new WebSocketScenario(db, fixture, s, out, latencyLog).run();
  }

  private RealtimeScenarioResult run() throws SQLException, InterruptedException {
    RealtimeRelay relay = null;
    ShapingProxy wsProxy = null;
    ClientLink catchUpLink = null;
    WebSockets sockets = null;
    try {
      String base;
      String apiKey;
      TokenMinter jwt;
      if (s.remote() == null) {
        String secret = TokenMinter.randomSecret();
        jwt = userTokens(secret);
        relay = RealtimeRelay.start(db.spec(), secret);
        base = relay.websocketUrl();
        apiKey = jwt.forRole("anon");
        notes.add(deliveryPath(s.event()));
        notes.add(RealtimeRelay.ABSENT_COSTS);
        notes.addAll(relay.notices());
      } else {
        notes.add("delivery path: the project's Supabase Realtime");
        base = s.remote().websocketUrl();
        apiKey = s.remote().apiKey();
        jwt = s.remote().jwtSecret() == null ? null : userTokens(s.remote().jwtSecret());
        if (jwt == null) {
          notes.add(
              "no JWT secret: subscribers join with the anon key, which RLS may keep from"
                  + " the messages (set SUPABASE_JWT_SECRET to mint user tokens)");
        }
      }
      String endpoint = base;
      HttpClient.Builder clients =
          HttpClient.newBuilder().executor(callbacks).connectTimeout(TIMEOUT);
      InetSocketAddress tunnel = null;
      if (s.network() != null) {
        if (relay != null) {
          wsProxy = ShapingProxy.forward("127.0.0.1", relay.port(), s.network());
          base = "ws://127.0.0.1:" + wsProxy.port() + "/realtime/v1/websocket";
        } else {
          wsProxy = ShapingProxy.connectProxy(s.network());
          tunnel = wsProxy.address();
          clients.proxy(ProxySelector.of(tunnel));
        }
      }
      URI uri =
          URI.create(
              base
                  + "?apikey="
                  + URLEncoder.encode(apiKey, StandardCharsets.UTF_8)
                  + "&vsn="
                  + s.vsn().wire);
      sockets = new WebSockets(uri, tunnel, TIMEOUT, IO_THREADS);
      if (s.remote() != null && s.remote().restUrl() != null) {
        catchUp = new RestCatchUp(clients.build(), s.remote().restUrl(), apiKey);
      } else {
        catchUpLink = new ClientLink(db, s.network(), "critpath-realtime-catchup");
        int connections = Math.min(MAX_CATCH_UP_CONNECTIONS, Math.max(1, s.reconnects()));
        catchUp = new JdbcCatchUp(catchUpLink, connections);
      }
      out.printf(
          "realtime websocket: %d subscribers (%s) on %s, %s msg/s for %d s, network %s%n",
          s.subscribers(),
          s.event().wireName,
          Secrets.redact(endpoint),
          ListenScenario.fmt(s.ratePerSecond()),
          s.duration().toSeconds(),
          s.networkName());
      createSubscribers(sockets, jwt, apiKey);
      connectAll();
      scheduler.scheduleAtFixedRate(
          () -> subscribers.forEach(PhoenixSubscriber::heartbeat),
          HEARTBEAT.toMillis(),
          HEARTBEAT.toMillis(),
          TimeUnit.MILLISECONDS);
      scheduleForcedDisconnects();
      Sender.Result sent;
      List<BitSet> expected = new ArrayList<>();
      List<Receipts> receipts = new ArrayList<>();
      boolean measured = subscribers.stream().anyMatch(PhoenixSubscriber::joined);
      try (MachineLoad load = new MachineLoad()) {
        if (measured) {
          sent =
              new Sender(
                      db,
                      fixture,
                      log,
                      s.ratePerSecond(),
                      s.event() == RealtimeSettings.EventKind.BROADCAST)
                  .run(s.duration());
        } else {
          sent = Sender.Result.NONE;
          notes.add("no subscriber could join: nothing was sent or measured");
        }
        for (PhoenixSubscriber sub : subscribers) {
          expected.add(log.expected(fixture.conversationOf(sub.index)));
          receipts.add(sub.receipts);
        }
        if (measured) {
          drain(receipts, expected);
          notes.add(load.note());
          long frames = tally.frames.get();
          if (frames > 0) {
            notes.add(
                String.format(
                    Locale.ROOT,
                    "delivery frames: %d bytes on average (vsn %s, %s frames)",
                    tally.frameBytes.get() / frames,
                    s.vsn().wire,
                    s.vsn() == Vsn.V2 && s.event() == RealtimeSettings.EventKind.BROADCAST
                        ? "binary"
                        : "text"));
          }
        }
      }
      running = false;
      for (PhoenixSubscriber sub : subscribers) {
        sub.abort(); // nothing arrives while the numbers are added up
      }
      Map<String, Object> relayStats = relay == null ? null : relay.stats();
      if (wsProxy != null) {
        ShapingProxy.Stats ps = wsProxy.stats();
        notes.add(
            "shaping proxy: "
                + ps.connections()
                + " connections, "
                + ps.bytesDown()
                + " bytes down, "
                + ps.bytesUp()
                + " bytes up");
      }
      if (sent.firstError() != null) {
        notes.add("first send error: " + sent.firstError());
      }
      return result(endpoint, sent, receipts, expected, relayStats, measured);
    } finally {
      running = false;
      scheduler.shutdownNow();
      for (PhoenixSubscriber sub : subscribers) {
        sub.abort();
      }
      callbacks.shutdownNow();
      if (sockets != null) {
        sockets.close();
      }
      if (catchUp != null) {
        catchUp.close();
      }
      if (catchUpLink != null) {
        catchUpLink.close();
      }
      if (wsProxy != null) {
        wsProxy.close();
      }
      if (relay != null) {
        relay.close();
      }
    }
  }

  /** Supabase's user tokens (role and audience "authenticated"), valid for the whole run. */
  private static TokenMinter userTokens(String secret) {
    return new TokenMinter(secret, "authenticated", "authenticated", TOKEN_LIFETIME);
  }

  private void createSubscribers(WebSockets sockets, TokenMinter jwt, String apiKey) {
    for (int i = 0; i < s.subscribers(); i++) {
      var user = fixture.subscriber(i);
      subscribers.add(
          new PhoenixSubscriber(
              i,
              user,
              fixture.conversation(fixture.conversationOf(i)),
              jwt == null ? apiKey : jwt.forUser(user.toString()),
              s.event(),
              s.vsn(),
              sockets,
              tally,
              TIMEOUT,
              this::dropped));
    }
  }

  /**
   * Joins everyone, a bounded number at a time; each attempt is timed from its own start. One
   * untimed join goes first, so that class loading and the relay's first request are not counted as
   * subscription setup.
   */
  private void connectAll() throws InterruptedException {
    PhoenixSubscriber first = subscribers.get(0);
    try {
      first.connect().get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      // the timed attempt below fails the same way and is counted there
    }
    first.abort();
    Semaphore slots = new Semaphore(CONCURRENT_CONNECTS);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    long start = System.nanoTime();
    for (PhoenixSubscriber sub : subscribers) {
      slots.acquire();
      long t0 = System.nanoTime();
      all.add(
          sub.connect()
              .handle(
                  (ok, e) -> {
                    slots.release();
                    if (e == null) {
                      tally.setup.recordNanos(System.nanoTime() - t0);
                    } else {
                      classify(sub, e);
                    }
                    return null;
                  }));
    }
    for (CompletableFuture<Void> f : all) {
      try {
        f.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        // counted by classify; a future that never completes is bounded by connect()'s timeout
      }
    }
    long joined = subscribers.stream().filter(PhoenixSubscriber::joined).count();
    out.printf(
        "realtime websocket: %d/%d subscribed in %.1f s%n",
        joined, subscribers.size(), (System.nanoTime() - start) / 1e9);
  }

  private void classify(PhoenixSubscriber sub, Throwable e) {
    Throwable cause =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    if (cause instanceof PhoenixSubscriber.JoinRefused) {
      tally.error(tally.joinFailures, cause.getMessage());
    } else if (cause instanceof TimeoutException && sub.socketOpen()) {
      tally.error(tally.joinFailures, "phx_join not answered within " + TIMEOUT.toSeconds() + " s");
    } else if (cause instanceof TimeoutException) {
      tally.error(tally.connectFailures, "connect timed out after " + TIMEOUT.toSeconds() + " s");
    } else {
      tally.error(tally.connectFailures, ListenScenario.rootMessage(cause));
    }
  }

  /**
   * Cuts {@code reconnects} joined subscribers, spread over the subscriber list, at times spread
   * from 20% to 50% of the run; each comes back {@code offline} later.
   */
  private void scheduleForcedDisconnects() {
    List<PhoenixSubscriber> joined =
        subscribers.stream().filter(PhoenixSubscriber::joined).toList();
    int n = Math.min(s.reconnects(), joined.size());
    long run = s.duration().toMillis();
    for (int k = 0; k < n; k++) {
      PhoenixSubscriber sub = joined.get((int) ((long) k * joined.size() / n));
      long at = (long) (run * (0.2 + 0.3 * k / Math.max(1, n)));
      reconnectsInFlight.incrementAndGet();
      scheduler.schedule(
          () -> {
            sub.abort();
            tally.forcedDisconnects.incrementAndGet();
            scheduler.schedule(
                () -> {
                  reconnectsInFlight.decrementAndGet();
                  reconnect(sub, 0);
                },
                s.offline().toMillis(),
                TimeUnit.MILLISECONDS);
          },
          at,
          TimeUnit.MILLISECONDS);
    }
  }

  private void dropped(PhoenixSubscriber sub, String why) {
    tally.error(tally.unexpectedDisconnects, "subscriber " + sub.index + " dropped: " + why);
    if (running) {
      reconnectsInFlight.incrementAndGet();
      scheduler.schedule(
          () -> {
            reconnectsInFlight.decrementAndGet();
            reconnect(sub, 0);
          },
          BACKOFF_MS[0],
          TimeUnit.MILLISECONDS);
    }
  }

  /** Rejoins, then catches up; timed from the attempt's start to the last fetched row. */
  private void reconnect(PhoenixSubscriber sub, int attempt) {
    if (!running) {
      return;
    }
    reconnectsInFlight.incrementAndGet();
    // The last message seen before the gap: once rejoined, live messages move it past the gap.
    OffsetDateTime since = sub.receipts.lastCreatedAt();
    long t0 = System.nanoTime();
    sub.connect()
        .handleAsync(
            (ok, e) -> {
              try {
                if (e == null) {
                  List<String> ids =
                      catchUp.since(sub.user, sub.accessToken, sub.conversation, since);
                  for (String id : ids) {
                    MessageLog.Sent sent = log.lookup(id);
                    if (sent != null) {
                      sub.receipts.caughtUp(sent);
                    }
                  }
                  tally.reconnect.recordNanos(System.nanoTime() - t0);
                  tally.reconnected.incrementAndGet();
                  return null;
                }
                retry(sub, attempt, ListenScenario.rootMessage(e));
              } catch (Exception ex) {
                sub.abort();
                retry(sub, attempt, "catch-up failed: " + ListenScenario.rootMessage(ex));
              } finally {
                reconnectsInFlight.decrementAndGet();
              }
              return null;
            },
            scheduler);
  }

  private void retry(PhoenixSubscriber sub, int attempt, String why) {
    if (running && attempt + 1 < BACKOFF_MS.length) {
      reconnectsInFlight.incrementAndGet();
      scheduler.schedule(
          () -> {
            reconnectsInFlight.decrementAndGet();
            reconnect(sub, attempt + 1);
          },
          BACKOFF_MS[attempt + 1],
          TimeUnit.MILLISECONDS);
    } else if (running) {
      tally.error(tally.reconnectFailed, "subscriber " + sub.index + " gave up: " + why);
    } else {
      tally.error(
          tally.reconnectFailed,
          "subscriber " + sub.index + " had not reconnected when the drain time ran out");
    }
  }

  private void drain(List<Receipts> receipts, List<BitSet> expected) throws InterruptedException {
    long deadline = System.nanoTime() + s.drain().toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (reconnectsInFlight.get() == 0 && Tally.behind(receipts, expected).isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
  }

  private RealtimeScenarioResult result(
      String endpoint,
      Sender.Result sent,
      List<Receipts> receipts,
      List<BitSet> expected,
      Map<String, Object> relayStats,
      boolean measured) {
    RealtimeScenarioResult.Messages messages = tally.messages(sent, receipts, expected);
    LatencySummary delivery = tally.delivery.summary();
    LatencySummary setup = tally.setup.summary();
    RealtimeScenarioResult.Reconnects reconnects =
        new RealtimeScenarioResult.Reconnects(
            tally.forcedDisconnects.get(),
            tally.unexpectedDisconnects.get(),
            tally.reconnected.get(),
            tally.reconnectFailed.get(),
            s.offline().toMillis() / 1000.0,
            tally.reconnect.summary());
    tally.log(latencyLog, "websocket", s.network(), sent);
    Platform platform = Platform.of(s.network());
    List<ThresholdCheck> thresholds =
        Targets.of(true, platform, delivery, setup, reconnects, messages);
    return new RealtimeScenarioResult(
        "websocket",
        Secrets.redact(endpoint),
        s.network(),
        platform.label,
        subscribers.size(),
        s.ratePerSecond(),
        s.duration().toMillis() / 1000.0,
        fixture.conversationCount(),
        s.event().wireName,
        messages,
        delivery,
        sent.commit(),
        setup,
        reconnects,
        tally.errors(),
        Tally.behind(receipts, expected).size(),
        measured,
        thresholds,
        thresholds.stream().allMatch(ThresholdCheck::passed),
        notes,
        relayStats);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

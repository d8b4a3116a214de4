package dev.critpath.realtime;

import dev.critpath.UserError;
import dev.critpath.network.NetworkProfile;
import dev.critpath.run.Segment;
import java.time.Duration;

/**
 * One realtime run: who listens, how fast messages go out, for how long, over which network.
 *
 * @param level which delivery path to measure
 * @param subscribers WebSocket subscribers, and LISTEN connections at the database level (capped by
 *     the server's free connections when both levels run)
 * @param ratePerSecond messages sent per second, on a fixed schedule
 * @param duration how long messages are sent
 * @param conversations subscribers are dealt round-robin over this many conversations; each message
 *     goes to one of them in turn (1 = every subscriber gets every message)
 * @param network the client link (null: none, the web/desktop case)
 * @param event how the WebSocket level subscribes
 * @param reconnects WebSocket subscribers that are cut off once during the run, stay offline for
 *     {@code offline}, then reconnect and catch up
 * @param drain how long to wait after the last send for deliveries still under way
 * @param remote a Supabase project's realtime endpoint, or null for the local relay
 * @param vsn the protocol version the WebSocket subscribers speak (realtime-js's default: 2.0.0)
 */
public record RealtimeSettings(
    Level level,
    int subscribers,
    double ratePerSecond,
    Duration duration,
    int conversations,
    NetworkProfile network,
    EventKind event,
    int reconnects,
    Duration offline,
    Duration drain,
    RemoteRealtime remote,
    Vsn vsn) {

  /** The same run at another level (the suite drops the websocket level a server cannot serve). */
  public RealtimeSettings withLevel(Level other) {
    return new RealtimeSettings(
        other,
        subscribers,
        ratePerSecond,
        duration,
        conversations,
        network,
        event,
        reconnects,
        offline,
        drain,
        remote,
        vsn);
  }

  /**
   * One execution segment's share: its striped share of the subscribers, conversations and
   * reconnects ({@link Segment#scale}) and a 1/N share of the send rate, so the N segments hold
   * every subscriber once and send the whole rate. Each segment creates its own fixture (random
   * users and conversations), so segments never share a subscriber or a conversation.
   */
  public RealtimeSettings inSegment(Segment segment) {
    if (segment.isWhole()) {
      return this;
    }
    int mine = (int) segment.scale(subscribers);
    if (mine == 0) {
      throw new UserError(
          "--segment "
              + segment
              + ": "
              + subscribers
              + " subscriber(s) leave none for this segment: run at most "
              + subscribers
              + " segments");
    }
    return new RealtimeSettings(
        level,
        mine,
        segment.share(ratePerSecond),
        duration,
        (int) Math.max(1, Math.min(mine, segment.scale(conversations))),
        network,
        event,
        (int) Math.min(mine, segment.scale(reconnects)),
        offline,
        drain,
        remote,
        vsn);
  }

  public static final int DEFAULT_SUBSCRIBERS = 100;
  public static final double DEFAULT_RATE = 50;
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);

  /** Seed 002's reconnection test takes the network away for 5 s. */
  public static final Duration DEFAULT_OFFLINE = Duration.ofSeconds(5);

  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);
  public static final int MAX_SUBSCRIBERS = 5_000;

  /** Which delivery path a run measures. */
  public enum Level {
    /** LISTEN connections on the database: PostgreSQL's own fan-out. */
    LISTEN,
    /** Supabase Realtime WebSocket subscribers: what an app sees. */
    WEBSOCKET,
    BOTH;

    boolean listen() {
      return this != WEBSOCKET;
    }

    boolean websocket() {
      return this != LISTEN;
    }
  }

  /** The Realtime feature a WebSocket subscriber uses. */
  public enum EventKind {
    /** postgres_changes on public.messages, filtered by conversation_id. */
    POSTGRES_CHANGES("postgres_changes"),
    /** A private broadcast channel per conversation (Supabase's "broadcast from the database"). */
    BROADCAST("broadcast");

    public final String wireName;

    EventKind(String wireName) {
      this.wireName = wireName;
    }
  }

  public RealtimeSettings {
    if (subscribers < 1 || subscribers > MAX_SUBSCRIBERS) {
      throw new UserError("--subscribers must be 1.." + MAX_SUBSCRIBERS + ", got " + subscribers);
    }
    if (!(ratePerSecond > 0) || ratePerSecond > 10_000) {
      throw new UserError("--rate must be above 0 and at most 10000 msg/s, got " + ratePerSecond);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new UserError("--duration must be positive, got " + duration.toSeconds() + " s");
    }
    if (conversations < 1 || conversations > subscribers) {
      throw new UserError(
          "--conversations must be 1..subscribers (" + subscribers + "), got " + conversations);
    }
    if (reconnects < 0 || reconnects > subscribers) {
      throw new UserError("--reconnects must be 0..subscribers, got " + reconnects);
    }
    if (reconnects > 0 && offline.compareTo(duration.dividedBy(2)) > 0) {
      throw new UserError(
          "--offline ("
              + offline.toSeconds()
              + " s) must be at most half of --duration ("
              + duration.toSeconds()
              + " s) so that reconnects happen while messages are still sent");
    }
  }

  /** The command line's defaults: both levels, 100 subscribers, 50 msg/s for 30 s, no shaping. */
  public static RealtimeSettings defaults() {
    return new RealtimeSettings(
        Level.BOTH,
        DEFAULT_SUBSCRIBERS,
        DEFAULT_RATE,
        DEFAULT_DURATION,
        1,
        null,
        EventKind.POSTGRES_CHANGES,
        defaultReconnects(DEFAULT_SUBSCRIBERS),
        DEFAULT_OFFLINE,
        DEFAULT_DRAIN,
        null,
        Vsn.V2);
  }

  /**
   * A short run for the default suite: both levels, 100 subscribers, 20 msg/s for 10 s, 5
   * subscribers cut off for 2 s, over broadcast from the database: the path Supabase recommends for
   * chat at scale, and the one that can meet seed 002's web delivery target. postgres_changes waits
   * for Realtime's 100 ms slot poll and one RLS read per change and subscriber (p95 129 ms here
   * with these settings, docs/measurements.md): {@code ./run.sh realtime} measures it.
   */
  public static RealtimeSettings suite() {
    return new RealtimeSettings(
        Level.BOTH,
        100,
        20,
        Duration.ofSeconds(10),
        1,
        null,
        EventKind.BROADCAST,
        5,
        Duration.ofSeconds(2),
        DEFAULT_DRAIN,
        null,
        Vsn.V2);
  }

  /** One subscriber in ten, at most 20: enough reconnects for a distribution. */
  public static int defaultReconnects(int subscribers) {
    return Math.min(20, Math.max(1, subscribers / 10));
  }

  public String networkName() {
    return network == null ? "none" : network.name();
  }
}
